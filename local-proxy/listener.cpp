#include "local-proxy/listener.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <utility>

#include "core/errors.h"
#include "local-proxy/client_session.h"
#include "local-proxy/local_reply.h"
#include "local-proxy/peer_owner.h"

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

PeerAdmission peer_may_connect(int fd) {
    const PeerVerdict v = check_peer_of(fd, false);
    if (v.ok()) return PeerAdmission::Serve;
    // No descriptor left to ask the kernel with: the client is told as
    // --max-connections and EMFILE tell it (a fixed 503, no data of ours).
    if (v.no_descriptors) return PeerAdmission::Busy;
    if (v.kind == PeerVerdict::Kind::Refused) {
        // At most one line a second: another user must not be able to fill
        // the log (and a disk) with refusals.
        static std::atomic<std::int64_t> last_line{0};
        static std::atomic<std::uint64_t> unsaid{0};
        const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::steady_clock::now().time_since_epoch())
                                     .count();
        std::int64_t last = last_line.load();
        if (now <= last || !last_line.compare_exchange_strong(last, now)) {
            ++unsaid;
        } else {
            const std::uint64_t more = unsaid.exchange(0);
            std::cerr << "aks-proxy: refused a connection from " << to_string(v.peer) << " owned by uid " << v.uid
                      << " (aks-proxy serves only uid " << ::geteuid() << ")";
            if (more > 0) std::cerr << "; " << more << " more refused in the last seconds, not logged";
            std::cerr << "\n" << std::flush;
        }
    } else if (v.lookup_failed) {
        static std::atomic<bool> said{false};
        if (!said.exchange(true))
            std::cerr << "aks-proxy: refusing local connections: cannot tell which user owns them (" << v.why
                      << ")\n"
                      << std::flush;
    }
    return PeerAdmission::Close;
}

void refuse_connection(int fd) {
    const UniqueFd owned(fd);
    static const std::string kBusy = [] {
        const std::string body =
            status_json(503, "ServiceUnavailable",
                        "aks-proxy: too many connections (see --max-connections, and the open-file limit)") +
            "\n";
        return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n"
               "Content-Length: " +
               std::to_string(body.size()) + "\r\n\r\n" + body;
    }();
    // Best effort and never blocking: a fresh socket's send buffer has room.
    // Unread request bytes would turn the close into a reset that can destroy
    // the answer at the client, so what has arrived is read first.
    char sink[4096];
    for (int i = 0; i < 16 && ::recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0; ++i) {
    }
    const ssize_t ignored = ::send(fd, kBusy.data(), kBusy.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    (void)ignored;
    ::shutdown(fd, SHUT_WR);
}

Listener::Listener(net::io_context& ioc, const net::generic::stream_protocol::endpoint& endpoint,
                   std::vector<std::unique_ptr<Worker>>& workers, ProxyContext& ctx, bool tcp)
    : acceptor_(ioc), retry_timer_(ioc), reserve_(::open("/dev/null", O_RDONLY | O_CLOEXEC)), workers_(workers),
      ctx_(ctx), tcp_(tcp) {
    acceptor_.open(endpoint.protocol());
    if (tcp_) acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
    acceptor_.non_blocking(true);  // shed_backlog accepts directly, and must not block
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

unsigned short Listener::port() const {
    const auto ep = acceptor_.local_endpoint();
    const sockaddr* sa = reinterpret_cast<const sockaddr*>(ep.data());
    if (sa->sa_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(sa)->sin_port);
    if (sa->sa_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(sa)->sin6_port);
    return 0;
}

void Listener::do_accept() {
    Worker& w = *workers_[next_++ % workers_.size()];
    acceptor_.async_accept(w.ioc, beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(beast::error_code ec, ClientStream::socket_type socket) {
    if (ec == net::error::operation_aborted) return;  // stop()
    // Read once and cleared whatever the outcome: a flag left over from
    // another result would shed at a later EMFILE that found nothing waiting.
    const bool connection_waits = std::exchange(shed_on_emfile_, false);
    if (!ec) {
        keep_reserve();
        if (ctx_.connections.load() >= ctx_.limits.max_connections) {
            refuse_connection(socket.release());
            return do_accept();
        }
        if (tcp_) socket.set_option(net::ip::tcp::no_delay(true), ec);
        // The socket belongs to the worker chosen in do_accept; its session runs there.
        Worker& w = *workers_[(next_ - 1) % workers_.size()];
        net::post(w.ioc, [s = std::move(socket), slot = ConnectionSlot(ctx_.connections), &w, &ctx = ctx_,
                          tcp = tcp_]() mutable {
            // On the worker, once per connection (keep-alive requests need no more).
            if (tcp) {
                const PeerAdmission a = peer_may_connect(s.native_handle());
                if (a == PeerAdmission::Busy) return refuse_connection(s.release());
                if (a == PeerAdmission::Close) return;  // closed unread
            }
            std::make_shared<ClientSession>(ClientStream(std::move(s)), std::move(slot), w.pool, ctx)->run();
        });
        return do_accept();
    }
    note_failure(ctx_, ec, "accept");
    if (ec == net::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system) {
        // Linux's accept() fails with EMFILE before it looks for a connection,
        // and Asio tries one at once after every accept. So the reserve is
        // given up only when the listener was readable (a connection waits)
        // and accepting it still failed. Giving it up at every EMFILE freed
        // its slot just as the worker checked the owner of the connection
        // accepted last; the check could take the slot, and then that
        // connection was served and the reserve lost. A worker can still take
        // the slot during a real shed (the descriptor table is shared), so
        // keep_reserve takes a lost reserve back.
        if (connection_waits && !shed_backlog()) return accept_later();
        return acceptor_.async_wait(net::socket_base::wait_read, [self = shared_from_this()](beast::error_code e) {
            if (e == net::error::operation_aborted) return;
            self->shed_on_emfile_ = true;  // a descriptor may have come free: try to accept first
            self->do_accept();
        });
    }
    accept_later();
}

void Listener::accept_later() {
    // No reserve to shed with, or another failure: accept again after a pause, not in a busy loop.
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([self = shared_from_this()](beast::error_code e) {
        if (!e) self->do_accept();
    });
}

void Listener::keep_reserve() {
    if (!reserve_) reserve_.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
}

bool Listener::shed_backlog() {
    keep_reserve();
    if (!reserve_) return false;
    reserve_.reset();
    // A bounded batch: connections that keep arriving get the next round.
    for (int i = 0; i < 64; ++i) {
        const int fd = ::accept4(acceptor_.native_handle(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) break;
        refuse_connection(fd);
    }
    keep_reserve();
    return static_cast<bool>(reserve_);
}

}  // namespace aks::proxy
