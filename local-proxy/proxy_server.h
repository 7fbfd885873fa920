#pragma once
// Owns the workers (one io_context + thread each) and the listener, and runs
// them until SIGINT/SIGTERM: then it stops accepting, gives in-flight requests
// limits.shutdown_grace to finish, closes watches and tunnels, and returns.
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <string>
#include <vector>

#include "local-proxy/engine_types.h"
#include "local-proxy/listener.h"

namespace aks::proxy {

class ProxyServer {
public:
    ProxyServer(ProxyContext& ctx, int threads);
    ~ProxyServer();

    // Throws boost::system::system_error when the address cannot be bound.
    // Returns what "Starting to serve on" prints: host:port, or the socket path.
    std::string listen_tcp(const std::string& address, unsigned short port);
    // 127.0.0.1 and [::1] on one port (Headlamp mode's *.localhost name,
    // which browsers resolve to both, ::1 first): no other user can take the
    // port on the other address. With port 0, a random port of the
    // ephemeral range free on both is chosen (64 tries).
    // Returns what listen_tcp does for 127.0.0.1.
    std::string listen_loopback(unsigned short port);
    std::string listen_unix(const std::string& path);

    // Blocks until a signal (or stop()) and the drain; returns 0.
    int run();
    void stop();  // as if SIGTERM arrived (tests)

private:
    void begin_shutdown();
    void check_drained();

    ProxyContext& ctx_;
    std::vector<std::unique_ptr<Worker>> workers_;
    net::io_context control_{1};
    net::steady_timer drain_timer_{control_};
    std::chrono::steady_clock::time_point drain_deadline_{};
    std::vector<std::shared_ptr<Listener>> listeners_;
    std::string unix_path_;
};

}  // namespace aks::proxy
