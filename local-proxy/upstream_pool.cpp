#include "local-proxy/upstream_pool.h"

#include <sys/socket.h>

#include <boost/asio/connect.hpp>

#include <cerrno>
#include <iostream>
#include <mutex>
#include <optional>

#include <openssl/ssl.h>

#include "local-proxy/h2_pool.h"
#include "local-proxy/peer_owner.h"

namespace aks::proxy {
namespace {

class UpstreamOwnerCategory : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "aks-proxy upstream owner"; }
    std::string message(int ev) const override {
        if (ev == kUnknownOwner) return "cannot tell which user serves it; refusing to send your token";
        return "served by uid " + std::to_string(static_cast<std::uint32_t>(ev)) +
               ", not by you; refusing to send your token";
    }
    static constexpr int kUnknownOwner = -1;  // (uid_t)-1 is no uid
};

const UpstreamOwnerCategory& owner_category() {
    static const UpstreamOwnerCategory c;
    return c;
}

// Logged when it changes, so that a browser's requests to a squatted port do
// not repeat the same line; the start-up probe says it first.
void log_upstream_owner(const std::string& line) {
    static std::mutex m;
    static std::string last;
    const std::lock_guard<std::mutex> lock(m);
    if (line == last) return;
    last = line;
    if (!line.empty()) std::cerr << "aks-proxy: warning: " << line << '\n' << std::flush;
}

std::optional<beast::error_code> check_upstream_owner(int fd, const Upstream& up) {
    const PeerVerdict v = check_peer_of(fd, true);
    if (v.ok()) {
        log_upstream_owner("");
        return std::nullopt;
    }
    const beast::error_code ec(
        v.kind == PeerVerdict::Kind::Refused ? static_cast<int>(v.uid) : UpstreamOwnerCategory::kUnknownOwner,
        owner_category());
    std::string line = upstream_owner_reason(up, ec);
    if (v.kind != PeerVerdict::Kind::Refused) line += " (" + v.why + ")";
    log_upstream_owner(line);
    return ec;
}

// connect → handshake, as one object that lives as long as its operation.
class Connector : public std::enable_shared_from_this<Connector> {
public:
    Connector(std::unique_ptr<UpstreamConn> conn, const ProxyContext& ctx, bool offer_h2,
              UpstreamPool::ConnectHandler done)
        : conn_(std::move(conn)), ctx_(ctx), offer_h2_(offer_h2), done_(std::move(done)) {}

    void run() {
        conn_->stream.expires_after(ctx_.limits.upstream_timeout);
        conn_->stream.async_connect(ctx_.upstream.endpoints,
                                    beast::bind_front_handler(&Connector::on_connect, shared_from_this()));
    }

private:
    void on_connect(beast::error_code ec) {
        if (ec) return done_(ec, nullptr);
        conn_->stream.socket().set_option(net::ip::tcp::no_delay(true), ec);
        if (!conn_->stream.uses_tls()) {
            // Plain HTTP has no certificate to say who answers: the token goes
            // only to a server of this user (or root), by the kernel's socket owner.
            if (const auto refused = check_upstream_owner(conn_->stream.socket().native_handle(), ctx_.upstream))
                return done_(*refused, nullptr);
            return done_(beast::error_code(), std::move(conn_));
        }
        if (!ctx_.upstream.sni.empty() &&
            !SSL_set_tlsext_host_name(conn_->stream.native_handle(), ctx_.upstream.sni.c_str()))
            return done_(beast::error_code(static_cast<int>(::ERR_get_error()), net::error::get_ssl_category()),
                         nullptr);
        // As Go's crypto/tls client in client-go: h2 first when HTTP/2 is
        // wanted; upgrades (SPDY, WebSocket) ask for http/1.1 alone, as
        // client-go's upgrade dialers do.
        static const unsigned char kBoth[] = "\x02h2\x08http/1.1";
        static const unsigned char kHttp1[] = "\x08http/1.1";
        if (offer_h2_ ? SSL_set_alpn_protos(conn_->stream.native_handle(), kBoth, sizeof kBoth - 1)
                      : SSL_set_alpn_protos(conn_->stream.native_handle(), kHttp1, sizeof kHttp1 - 1))
            return done_(beast::error_code(static_cast<int>(::ERR_get_error()), net::error::get_ssl_category()),
                         nullptr);
        conn_->stream.async_handshake(beast::bind_front_handler(&Connector::on_handshake, shared_from_this()));
    }

    void on_handshake(beast::error_code ec, std::size_t) {
        if (ec) return done_(ec, nullptr);
        conn_->h2 = conn_->stream.alpn_selected() == "h2";
        done_(ec, std::move(conn_));
    }

    std::unique_ptr<UpstreamConn> conn_;
    const ProxyContext& ctx_;
    bool offer_h2_;
    UpstreamPool::ConnectHandler done_;
};

// An idle connection has nothing to read: bytes (a TLS close_notify, a stray
// answer), EOF or an error mean the server closed or broke it. Reusing it
// would fail a request whose body was already sent, which cannot be retried.
bool still_idle(UpstreamConn& c) {
    if (c.buffer.size() > 0) return false;
    char byte;
    const ssize_t n = ::recv(c.stream.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace

bool is_upstream_owner_error(const beast::error_code& ec) { return &ec.category() == &owner_category(); }

std::string upstream_owner_reason(const Upstream& up, const beast::error_code& ec) {
    const bool v6 = up.host.find(':') != std::string::npos;
    const std::string where = (v6 ? "[" + up.host + "]" : up.host) + ":" + up.port;
    if (ec.value() == UpstreamOwnerCategory::kUnknownOwner) return "cannot tell which user serves the upstream " + where + "; refusing to send your token";
    return "the upstream " + where + " is " + ec.message();
}

UpstreamPool::UpstreamPool(net::io_context& ioc, const ProxyContext& ctx)
    : ioc_(ioc), ctx_(ctx), h2_(std::make_unique<H2Pool>(ioc, ctx, *this)) {}

UpstreamPool::~UpstreamPool() = default;

bool UpstreamPool::h2_enabled() const { return ctx_.upstream.tls_enabled && ctx_.upstream.http2; }

std::unique_ptr<UpstreamConn> UpstreamPool::take() {
    const auto now = std::chrono::steady_clock::now();
    while (!idle_.empty()) {
        std::unique_ptr<UpstreamConn> c = std::move(idle_.back());
        idle_.pop_back();
        if (now - c->idle_since < ctx_.limits.pool_idle && still_idle(*c)) return c;
    }
    return nullptr;
}

void UpstreamPool::give_back(std::unique_ptr<UpstreamConn> conn) {
    if (ctx_.draining) return;
    const auto now = std::chrono::steady_clock::now();
    // Oldest first out: they are the likeliest to have been closed upstream.
    while (!idle_.empty() && now - idle_.front()->idle_since >= ctx_.limits.pool_idle) idle_.pop_front();
    conn->idle_since = now;
    conn->stream.expires_never();
    idle_.push_back(std::move(conn));
}

void UpstreamPool::connect(ConnectHandler done, bool offer_h2) {
    auto conn = std::make_unique<UpstreamConn>(ioc_, ctx_.upstream.tls, ctx_.upstream.tls_enabled);
    std::make_shared<Connector>(std::move(conn), ctx_, offer_h2 && h2_enabled(), std::move(done))->run();
}

}  // namespace aks::proxy
