#include "tests/fakes/fake-apiserver/fail.h"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

#include <string>

#include "tests/fakes/fake-apiserver/log.h"

namespace aks::fake_apiserver {

void fail(const boost::system::error_code& ec, const char* what) {
  namespace net = boost::asio;
  if (ec == boost::beast::error::timeout || ec == net::error::operation_aborted ||
      ec == net::ssl::error::stream_truncated || ec == net::error::eof ||
      ec == net::error::connection_reset || ec == boost::beast::http::error::partial_message)
    return;
  log_line(std::string(what) + ": " + ec.message());
}

}  // namespace aks::fake_apiserver
