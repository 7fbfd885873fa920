#pragma once
// Accepts client connections (TCP or a Unix-domain socket) and hands each to
// a ClientSession on the next worker, round robin. Workers are one thread and
// one io_context each, with their own upstream pool: no locks on the data path.
// Connections beyond limits.max_connections are answered 503 and closed at
// once. When the process runs out of descriptors (EMFILE), a descriptor held
// in reserve is given up to accept and refuse the waiting connections the same
// way (libuv's and libev's remedy), so clients are told at once and the accept
// loop never spins; existing connections are not touched. A TCP client
// whose socket belongs to another user of this host is closed unread
// (peer_may_connect).
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/unique_fd.h"
#include "local-proxy/engine_types.h"
#include "local-proxy/upstream_pool.h"

namespace aks::proxy {

struct Worker {
    explicit Worker(ProxyContext& ctx) : ioc(1), pool(ioc, ctx) {}
    net::io_context ioc;
    UpstreamPool pool;
};

class Listener : public std::enable_shared_from_this<Listener> {
public:
    using Acceptor = net::basic_socket_acceptor<net::generic::stream_protocol>;

    // Binds and listens at once; throws boost::system::system_error.
    Listener(net::io_context& ioc, const net::generic::stream_protocol::endpoint& endpoint,
             std::vector<std::unique_ptr<Worker>>& workers, ProxyContext& ctx, bool tcp);
    void run();
    void stop();  // stop accepting (shutdown)
    // "127.0.0.1:8001", "[::1]:8001": the bound address, port included.
    std::string local_address() const;
    unsigned short port() const;  // the bound TCP port (0 for a Unix socket)

private:
    void do_accept();
    void on_accept(beast::error_code ec, ClientStream::socket_type socket);
    // Out of descriptors: refuse what waits in the backlog with the reserve
    // descriptor's room. false when there is no reserve to give up.
    bool shed_backlog();
    // Takes the reserve back if it is missing: shed_backlog cannot reopen it
    // when another thread took the slot it freed in the meantime.
    void keep_reserve();
    void accept_later();

    Acceptor acceptor_;
    net::steady_timer retry_timer_;
    UniqueFd reserve_;
    std::vector<std::unique_ptr<Worker>>& workers_;
    ProxyContext& ctx_;
    bool tcp_;
    std::size_t next_ = 0;
    bool shed_on_emfile_ = false;  // a connection waits: the next EMFILE sheds it
};

// Endpoint helpers: TCP address + port, or a Unix socket path.
net::generic::stream_protocol::endpoint tcp_endpoint(const std::string& address, unsigned short port);
net::generic::stream_protocol::endpoint unix_endpoint(const std::string& path);

// Whether the client at the other end of an accepted TCP socket may be
// served: its socket is owned by this process's uid or root, or it is not a
// socket of this host (peer_owner.h). Logs a refusal in one line. Busy: the
// owner could not be asked for want of descriptors (answer as EMFILE does).
enum class PeerAdmission { Serve, Close, Busy };
PeerAdmission peer_may_connect(int fd);

// Answers 503 on a just-accepted socket without blocking and closes it (what
// a client past --max-connections or EMFILE gets). Takes ownership of `fd`.
void refuse_connection(int fd);

}  // namespace aks::proxy
