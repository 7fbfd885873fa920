#pragma once
// Connections to the API server, one pool per worker thread (so no locks).
// HTTP/1.1: idle keep-alive connections are reused newest first and dropped
// after limits.pool_idle; new ones are connected, TLS-verified, then handed
// over. HTTP/2 (h2_pool.h): a few connections each carrying many streams.
// Which one a request gets is decided by ALPN, as client-go's transport
// does: a new connection offers h2 and http/1.1 and is used as whatever the
// server picks; upgrades ask for http/1.1 only. A plain-HTTP connection is
// used only when the kernel says its server is this user's or root's
// (peer_owner.h).
#include <chrono>
#include <deque>
#include <functional>
#include <memory>

#include "local-proxy/engine_types.h"
#include "local-proxy/upstream.h"
#include "local-proxy/upstream_stream.h"

namespace aks::proxy {

struct UpstreamConn {
    UpstreamConn(net::io_context& ioc, net::ssl::context& tls, bool use_tls)
        : stream(ioc, use_tls ? &tls : nullptr) {}
    UpstreamStream stream;
    beast::flat_buffer buffer;  // bytes read past the last response
    std::chrono::steady_clock::time_point idle_since{};
    bool h2 = false;  // ALPN chose h2: for the H2Pool, not for HTTP/1.1 exchanges
};

class H2Pool;

// A plain-HTTP upstream connection whose server is another user's (or whose
// owner cannot be told) fails with this error before anything is sent.
bool is_upstream_owner_error(const beast::error_code& ec);
// "the upstream 127.0.0.1:8080 is served by uid N, not by you; refusing to send your token"
std::string upstream_owner_reason(const Upstream& up, const beast::error_code& ec);

class UpstreamPool {
public:
    using ConnectHandler = std::function<void(beast::error_code, std::unique_ptr<UpstreamConn>)>;

    UpstreamPool(net::io_context& ioc, const ProxyContext& ctx);
    ~UpstreamPool();

    // An idle connection, or null.
    std::unique_ptr<UpstreamConn> take();
    // Back after a complete exchange on a keep-alive connection.
    void give_back(std::unique_ptr<UpstreamConn> conn);
    // A fresh connection: TCP connect, then the verified TLS handshake (when
    // TLS), offering http/1.1 by ALPN, and h2 too when `offer_h2`.
    void connect(ConnectHandler done, bool offer_h2 = false);
    std::size_t idle_count() const { return idle_.size(); }
    void clear() { idle_.clear(); }

    // HTTP/2 is tried for this upstream (TLS, and not --upstream-http1).
    bool h2_enabled() const;
    H2Pool& h2() { return *h2_; }

private:
    net::io_context& ioc_;
    const ProxyContext& ctx_;
    std::deque<std::unique_ptr<UpstreamConn>> idle_;
    std::unique_ptr<H2Pool> h2_;
};

}  // namespace aks::proxy
