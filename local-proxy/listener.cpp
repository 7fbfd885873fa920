#include "local-proxy/listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "core/errors.h"
#include "local-proxy/client_session.h"

namespace aks::proxy {

net::generic::stream_protocol::endpoint tcp_endpoint(const std::string& address, unsigned short port) {
    beast::error_code ec;
    std::string bare = address;
    if (bare.size() > 2 && bare.front() == '[' && bare.back() == ']') bare = bare.substr(1, bare.size() - 2);
    const auto ip = net::ip::make_address(bare, ec);
    if (ec) throw UsageError("--address '" + address + "' is not an IP address");
    return net::generic::stream_protocol::endpoint(net::ip::tcp::endpoint(ip, port));
}

net::generic::stream_protocol::endpoint unix_endpoint(const std::string& path) {
    return net::generic::stream_protocol::endpoint(net::local::stream_protocol::endpoint(path));
}

Listener::Listener(net::io_context& ioc, const net::generic::stream_protocol::endpoint& endpoint,
                   std::vector<std::unique_ptr<Worker>>& workers, ProxyContext& ctx, bool tcp)
    : acceptor_(ioc), retry_timer_(ioc), workers_(workers), ctx_(ctx), tcp_(tcp) {
    acceptor_.open(endpoint.protocol());
    if (tcp_) acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
}

void Listener::run() { do_accept(); }

void Listener::stop() {
    beast::error_code ignored;  // already closed is fine
    acceptor_.close(ignored);
    retry_timer_.cancel();
}

std::string Listener::local_address() const {
    const auto ep = acceptor_.local_endpoint();
    const sockaddr* sa = reinterpret_cast<const sockaddr*>(ep.data());
    char text[INET6_ADDRSTRLEN] = {};
    if (sa->sa_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
        ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
        return std::string(text) + ":" + std::to_string(ntohs(in->sin_port));
    }
    if (sa->sa_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
        ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
        return "[" + std::string(text) + "]:" + std::to_string(ntohs(in6->sin6_port));
    }
    return "unix socket";
}

void Listener::do_accept() {
    Worker& w = *workers_[next_++ % workers_.size()];
    acceptor_.async_accept(w.ioc, beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(beast::error_code ec, ClientStream::socket_type socket) {
    if (ec == net::error::operation_aborted) return;  // stop()
    if (!ec) {
        if (tcp_) socket.set_option(net::ip::tcp::no_delay(true), ec);
        // The socket belongs to the worker chosen in do_accept; its session runs there.
        Worker& w = *workers_[(next_ - 1) % workers_.size()];
        net::post(w.ioc, [s = std::move(socket), &w, &ctx = ctx_]() mutable {
            std::make_shared<ClientSession>(ClientStream(std::move(s)), w.pool, ctx)->run();
        });
        return do_accept();
    }
    // EMFILE and friends: keep accepting, after a pause instead of a busy loop.
    note_failure(ctx_, ec, "accept");
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code e) {
        if (!e) self->do_accept();
    });
}

}  // namespace aks::proxy
