#pragma once
// The worker's HTTP/2 connections to the API server. Modelled on client-go's
// transport (golang.org/x/net/http2/transport.go at 0ca694d2, with net/http's
// TLSNextProto hand-over):
// - a request uses the first connection that can take another stream: below
//   the server's SETTINGS_MAX_CONCURRENT_STREAMS (100 assumed until its
//   SETTINGS arrive, as Go's initialMaxConcurrentStreams), no GOAWAY
//   received (ClientConn.idleStateLocked / isUsableLocked);
// - when none can, one new connection is dialled for all the requests that
//   wait (Go's dialCall single flight), offering h2 and http/1.1 by ALPN;
//   requests it cannot take (the server's stream limit) dial another;
// - when the server picks http/1.1, the connection serves one waiting
//   request as HTTP/1.1 and later requests go the HTTP/1.1 way (each dial
//   still offers h2, so a server that turns HTTP/2 on is used as such);
// - a connection that received GOAWAY takes no new stream; its streams up to
//   the GOAWAY's last id finish, the others are retried elsewhere
//   (ClientConn.setGoAway, errClientConnGotGoAway).
// One pool per worker thread, like the HTTP/1.1 pool: no locks; a proxy
// with N threads holds N connections or more.
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "local-proxy/engine_types.h"
#include "local-proxy/h2_connection.h"
#include "local-proxy/upstream_pool.h"

namespace aks::proxy {

class H2Pool {
public:
    // ec, or an HTTP/2 connection with room for a stream, or (the server
    // chose HTTP/1.1) a connection for one HTTP/1.1 exchange.
    using Handler =
        std::function<void(beast::error_code, std::shared_ptr<H2Connection>, std::unique_ptr<UpstreamConn>)>;

    H2Pool(net::io_context& ioc, const ProxyContext& ctx, UpstreamPool& pool);
    // After the worker's event loop stopped: open streams and their
    // connections hold each other; this lets them go.
    ~H2Pool();

    // A connection that can take a stream now, or null.
    std::shared_ptr<H2Connection> find();
    // A new connection; while HTTP/2 is expected, callers share one dial.
    // The handler runs on the worker's thread, never inside connect().
    void connect(Handler done);
    // The last dial ended in HTTP/1.1: requests go the HTTP/1.1 way first.
    bool server_chose_http1() const { return http1_; }
    std::size_t connections() const { return conns_.size(); }

private:
    void on_connect(beast::error_code ec, std::unique_ptr<UpstreamConn> conn);
    std::shared_ptr<H2Connection> adopt(std::unique_ptr<UpstreamConn> conn);

    const ProxyContext& ctx_;
    UpstreamPool& pool_;
    std::vector<std::shared_ptr<H2Connection>> conns_;
    std::vector<std::weak_ptr<H2Connection>> all_;  // also those that left conns_ (GOAWAY), for ~H2Pool
    std::deque<Handler> waiting_;  // for the dial under way
    bool dialing_ = false;
    bool http1_ = false;
    std::vector<char> read_buffer_;  // shared by this worker's connections (see H2Connection)
};

}  // namespace aks::proxy
