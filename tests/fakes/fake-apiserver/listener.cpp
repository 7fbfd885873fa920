#include "tests/fakes/fake-apiserver/listener.h"

#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include "tests/fakes/fake-apiserver/log.h"
#include "tests/fakes/fake-apiserver/tls_handshake.h"

namespace aks::fake_apiserver {

Listener::Listener(net::io_context& ioc, net::ssl::context& tls, net::ip::tcp::endpoint endpoint,
                   std::shared_ptr<App> app)
    : ioc_(ioc), tls_(tls), acceptor_(ioc), app_(std::move(app)) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
}

void Listener::run() { do_accept(); }

void Listener::do_accept() {
  // Each connection gets its own strand: its handlers never run concurrently.
  acceptor_.async_accept(net::make_strand(ioc_),
                         boost::beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(boost::system::error_code ec, net::ip::tcp::socket socket) {
  if (ec == net::error::operation_aborted) return;  // stopping
  if (ec)
    log_line("accept: " + ec.message());
  else
    std::make_shared<TlsHandshake>(std::move(socket), tls_, app_)->run();
  do_accept();
}

}  // namespace aks::fake_apiserver
