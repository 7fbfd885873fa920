// fake-apiserver: a loopback HTTPS fake of an AKS Kubernetes API server.
// Wiring only: options → TLS context → token verifier → app → listener → threads.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdio>
#include <ctime>
#include <thread>
#include <vector>

#include "tests/fakes/fake-apiserver/app.h"
#include "tests/fakes/fake-apiserver/listener.h"
#include "tests/fakes/fake-apiserver/options.h"
#include "tests/fakes/fake-apiserver/port_file.h"
#include "tests/fakes/fake-apiserver/tls_context.h"

namespace net = boost::asio;
using namespace aks::fake_apiserver;

namespace {

std::string host_port(const std::string& host, unsigned short port) {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

int serve(const Options& options) {
  net::ssl::context tls = make_server_tls_context(options.cert, options.key);
  auto jwks = options.jwks_url.empty() ? make_file_jwks_source(options.jwks_file)
                                       : make_url_jwks_source(options.jwks_url, options.ca);
  auto app = std::make_shared<App>(options, std::move(jwks), std::time(nullptr));
  app->verifier.load();
  offer_http2(tls, app->http2_enabled);

  boost::system::error_code ec;
  auto address = net::ip::make_address(options.host, ec);
  if (ec) throw std::runtime_error("--host " + options.host + " is not an IP address");

  net::io_context ioc(options.threads);
  auto listener = std::make_shared<Listener>(ioc, tls, net::ip::tcp::endpoint(address, options.port), app);
  unsigned short port = listener->local_endpoint().port();
  app->server_address = host_port(options.host, port);
  listener->run();

  if (!options.port_file.empty()) write_port_file(options.port_file, port);
  std::fprintf(stderr, "fake-apiserver listening on https://%s\n", app->server_address.c_str());

  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&ioc](const boost::system::error_code&, int) { ioc.stop(); });

  std::vector<std::thread> threads;
  for (int i = 1; i < options.threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parse_options(argc, argv);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "fake-apiserver: %s (see --help)\n", e.what());
    return 2;
  }
  if (options.help) {
    std::fputs(usage_text().c_str(), stdout);
    return 0;
  }
  try {
    return serve(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fake-apiserver: %s\n", e.what());
    return 1;
  }
}
