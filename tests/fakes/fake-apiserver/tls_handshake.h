#pragma once
// First phase of a connection: the TLS handshake, then hand over to the
// protocol ALPN chose: H2Session (h2) or HttpSession (http/1.1, or no ALPN).
#include <boost/asio/ip/tcp.hpp>

#include <memory>

#include "tests/fakes/fake-apiserver/reply.h"

namespace aks::fake_apiserver {

struct App;

class TlsHandshake : public std::enable_shared_from_this<TlsHandshake> {
 public:
  TlsHandshake(boost::asio::ip::tcp::socket&& socket, boost::asio::ssl::context& tls,
               std::shared_ptr<App> app);
  void run();

 private:
  void on_run();
  void on_handshake(beast::error_code ec);

  Stream stream_;
  std::shared_ptr<App> app_;
};

}  // namespace aks::fake_apiserver
