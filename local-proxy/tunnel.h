#pragma once
// After a 101: bytes both ways, unchanged (WebSocket v5.channel.k8s.io,
// SPDY/3.1), one read in flight per direction, the bytes each side had
// already sent delivered first. Ends when either side closes or fails, or
// after limits.stream_idle without a byte in either direction.
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <vector>

#include "local-proxy/engine_types.h"
#include "local-proxy/upstream_pool.h"

namespace aks::proxy {

class Tunnel : public std::enable_shared_from_this<Tunnel> {
public:
    // `slot` keeps the client connection counted (--max-connections) while the tunnel holds it.
    Tunnel(ClientStream&& client, beast::flat_buffer&& client_bytes, std::unique_ptr<UpstreamConn> upstream,
           ProxyContext& ctx, ConnectionSlot slot = {});
    void run();

private:
    void do_read_client();
    void on_read_client(beast::error_code ec, std::size_t bytes);
    void on_write_upstream(beast::error_code ec, std::size_t bytes);
    void do_read_upstream();
    void on_read_upstream(beast::error_code ec, std::size_t bytes);
    void on_write_client(beast::error_code ec, std::size_t bytes);
    void arm_idle_timer();
    void on_idle_timer(beast::error_code ec);
    void close(const beast::error_code& ec, const char* where);

    ClientStream client_;
    ConnectionSlot slot_;
    beast::flat_buffer client_bytes_;
    std::unique_ptr<UpstreamConn> up_;
    ProxyContext& ctx_;
    std::vector<char> to_upstream_, to_client_;
    net::steady_timer idle_timer_;
    std::chrono::steady_clock::time_point last_activity_;
    bool closed_ = false;
};

}  // namespace aks::proxy
