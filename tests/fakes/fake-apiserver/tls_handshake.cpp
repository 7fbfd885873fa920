#include "tests/fakes/fake-apiserver/tls_handshake.h"

#include <boost/asio/dispatch.hpp>

#include <cstring>

#include "tests/fakes/fake-apiserver/app.h"
#include "tests/fakes/fake-apiserver/fail.h"
#include "tests/fakes/fake-apiserver/h2_session.h"
#include "tests/fakes/fake-apiserver/http_session.h"
#include "tests/fakes/fake-apiserver/limits.h"

namespace aks::fake_apiserver {

TlsHandshake::TlsHandshake(boost::asio::ip::tcp::socket&& socket, boost::asio::ssl::context& tls,
                           std::shared_ptr<App> app)
    : stream_(std::move(socket), tls), app_(std::move(app)) {}

void TlsHandshake::run() {
  // Start on the connection's strand.
  boost::asio::dispatch(stream_.get_executor(),
                        beast::bind_front_handler(&TlsHandshake::on_run, shared_from_this()));
}

void TlsHandshake::on_run() {
  beast::get_lowest_layer(stream_).expires_after(kHandshakeTimeout);
  stream_.async_handshake(boost::asio::ssl::stream_base::server,
                          beast::bind_front_handler(&TlsHandshake::on_handshake, shared_from_this()));
}

void TlsHandshake::on_handshake(beast::error_code ec) {
  // Clients that reject our certificate end up here; port probes that just
  // connect and close do too, quietly.
  if (ec) return fail(ec, "TLS handshake");
  ++app_->connections.accepted;
  const unsigned char* proto = nullptr;
  unsigned int len = 0;
  SSL_get0_alpn_selected(stream_.native_handle(), &proto, &len);
  if (len == 2 && std::memcmp(proto, "h2", 2) == 0) {
    ++app_->connections.h2;
    return std::make_shared<H2Session>(std::move(stream_), app_)->run();
  }
  ++(len == 0 ? app_->connections.no_alpn : app_->connections.http1);
  std::make_shared<HttpSession>(std::move(stream_), app_)->run();
}

}  // namespace aks::fake_apiserver
