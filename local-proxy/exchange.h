#pragma once
// One request/response between a client and the API server, streamed both
// ways with one read in flight per direction (backpressure): request head →
// request body in chunks → response head → response body in chunks, or, after
// a 101, a hand-over to a Tunnel. A pooled upstream connection found closed
// before any of the request body was sent is replaced once, transparently.
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "local-proxy/client_session.h"
#include "local-proxy/engine_types.h"
#include "local-proxy/upstream_pool.h"

namespace aks::proxy {

class Exchange : public std::enable_shared_from_this<Exchange> {
public:
    Exchange(std::shared_ptr<ClientSession> client, UpstreamPool& pool, ProxyContext& ctx,
             std::shared_ptr<const std::string> authorization, std::chrono::steady_clock::time_point started);
    ~Exchange();
    void run();

private:
    enum class State { Connecting, RequestHead, RequestBody, ResponseHead, ResponseBody, Done };

    void do_continue();
    void on_continue(beast::error_code ec, std::size_t bytes);
    void do_connect();
    void on_connect(beast::error_code ec, std::unique_ptr<UpstreamConn> conn);
    void do_write_request_head();
    void on_write_request_head(beast::error_code ec, std::size_t bytes);
    void do_read_request_body();
    void on_read_request_body(beast::error_code ec, std::size_t bytes);
    void do_write_request_body();
    void on_write_request_body(beast::error_code ec, std::size_t bytes);
    void do_read_response_head();
    void on_read_response_head(beast::error_code ec, std::size_t bytes);
    void do_write_response_head();
    void on_write_response_head(beast::error_code ec, std::size_t bytes);
    void do_read_response_body();
    void on_response_readable(beast::error_code ec, std::size_t);
    void do_read_response_body_some();
    void on_read_response_body(beast::error_code ec, std::size_t bytes);
    void on_write_response_body(beast::error_code ec, std::size_t bytes);
    void start_tunnel();
    // Watches and log follows: notice a client that hangs up between events.
    void watch_client();
    void on_client_readable(beast::error_code ec);
    void stop_watching_client();

    // A pooled connection failed before any body byte went out: retry on a new one.
    bool retry_fresh(const beast::error_code& ec);
    // Nothing was written to the client yet: answer 502/504 and close.
    void fail_response_body(const beast::error_code& ec);
    void fail_upstream(const beast::error_code& ec, const char* what);
    void finish(bool upstream_reusable, bool client_keep_alive, const char* note = "");

    std::shared_ptr<ClientSession> client_;
    UpstreamPool& pool_;
    ProxyContext& ctx_;
    std::shared_ptr<const std::string> authorization_;
    std::unique_ptr<UpstreamConn> up_;
    bool reused_ = false;
    bool retried_ = false;
    bool upgrade_ = false;
    bool long_lived_ = false;
    bool head_written_ = false;  // the response head reached the client
    bool head_request_ = false;
    bool watching_client_ = false;
    bool client_gone_ = false;
    bool client_keep_alive_ = true;
    bool upstream_keep_alive_ = false;
    unsigned client_version_ = 11;
    std::uint64_t request_body_bytes_ = 0;
    State state_ = State::Connecting;

    std::optional<http::request_serializer<http::buffer_body>> request_sr_;
    std::optional<http::response_parser<http::buffer_body>> response_parser_;
    std::optional<http::response_serializer<http::buffer_body>> response_sr_;
    std::vector<char> up_chunk_, down_chunk_;
    std::size_t pending_ = 0;  // bytes of the chunk being written

    AccessRecord record_;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace aks::proxy
