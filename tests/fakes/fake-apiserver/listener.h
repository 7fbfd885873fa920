#pragma once
// Accepts TCP connections and starts a TLS handshake on each, on its own strand.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <memory>

namespace aks::fake_apiserver {

struct App;
namespace net = boost::asio;

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens at once; throws boost::system::system_error on failure.
  Listener(net::io_context& ioc, net::ssl::context& tls, net::ip::tcp::endpoint endpoint,
           std::shared_ptr<App> app);

  net::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  void run();

 private:
  void do_accept();
  void on_accept(boost::system::error_code ec, net::ip::tcp::socket socket);

  net::io_context& ioc_;
  net::ssl::context& tls_;
  net::ip::tcp::acceptor acceptor_;
  std::shared_ptr<App> app_;
};

}  // namespace aks::fake_apiserver
