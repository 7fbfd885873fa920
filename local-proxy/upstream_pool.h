#pragma once
// Keep-alive connections to the API server, one pool per worker thread (so no
// locks): idle connections are reused newest first and dropped after
// limits.pool_idle; new ones are connected, TLS-verified, then handed over.
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
};

class UpstreamPool {
public:
    using ConnectHandler = std::function<void(beast::error_code, std::unique_ptr<UpstreamConn>)>;

    UpstreamPool(net::io_context& ioc, const ProxyContext& ctx) : ioc_(ioc), ctx_(ctx) {}

    // An idle connection, or null.
    std::unique_ptr<UpstreamConn> take();
    // Back after a complete exchange on a keep-alive connection.
    void give_back(std::unique_ptr<UpstreamConn> conn);
    // A fresh connection: TCP connect, then the verified TLS handshake (when TLS).
    void connect(ConnectHandler done);
    std::size_t idle_count() const { return idle_.size(); }
    void clear() { idle_.clear(); }

private:
    net::io_context& ioc_;
    const ProxyContext& ctx_;
    std::deque<std::unique_ptr<UpstreamConn>> idle_;
};

}  // namespace aks::proxy
