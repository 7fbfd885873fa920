#pragma once
// One request/response between a client and the API server, streamed both
// ways with one read in flight per direction (backpressure): request head →
// request body in chunks → response head → response body in chunks, or, after
// a 101, a hand-over to a Tunnel. A pooled upstream connection found closed
// before any of the request body was sent is replaced once, transparently.
//
// Upstream it is one HTTP/1.1 exchange on a connection of its own (this
// file's .cpp), or one stream of a shared HTTP/2 connection (exchange_h2.cpp):
// the client side is HTTP/1.1 either way. Upgrades always use HTTP/1.1.
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "local-proxy/client_session.h"
#include "local-proxy/engine_types.h"
#include "local-proxy/h2_headers.h"
#include "local-proxy/h2_session.h"
#include "local-proxy/upstream_pool.h"

namespace aks::proxy {

class H2Connection;

// A byte vector whose resize leaves the bytes uninitialised: relay buffers
// are written before they are read, and zeroing 16 KiB per request showed
// as a tenth of the proxy's instructions.
template <class T>
struct UninitializedAllocator : std::allocator<T> {
    template <class U>
    struct rebind {
        using other = UninitializedAllocator<U>;
    };
    UninitializedAllocator() = default;
    template <class U>
    UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
    template <class U>
    void construct(U* p) noexcept {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};
using RelayBuffer = std::vector<char, UninitializedAllocator<char>>;

class Exchange : public std::enable_shared_from_this<Exchange>, public H2StreamHandler {
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
    void read_client_body(void (Exchange::*done)(beast::error_code, std::size_t));
    std::size_t client_body_read();  // bytes the last read_client_body put in up_chunk_
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
    // Watches and log follows, either upstream protocol: notice a client
    // that hangs up between events.
    void watch_client();
    void on_client_readable(beast::error_code ec);
    void client_hung_up();
    void stop_watching_client();
    // The client is gone: the exchange ends once the current callback (nghttp2's, maybe) has returned.
    void finish_client_gone_later();
    void on_connect_any(beast::error_code ec, std::shared_ptr<H2Connection> h2, std::unique_ptr<UpstreamConn> conn);

    // HTTP/2 upstream (exchange_h2.cpp).
public:
    void on_h2_head(int status, const std::vector<H2Field>& fields, bool ended) override;
    std::size_t on_h2_data(const char* data, std::size_t size) override;
    void on_h2_end(const H2End& end) override;
    H2BodyChunk on_h2_body(char* buf, std::size_t size) override;

private:
    void start_h2(std::shared_ptr<H2Connection> conn);
    void h2_read_request_body();
    void on_h2_request_body(beast::error_code ec, std::size_t bytes);
    std::size_t h2_send(const char* data, std::size_t size, bool last);
    void h2_write_pending();
    void on_h2_client_write(beast::error_code ec, std::size_t bytes);
    void h2_after_write();
    void h2_arm_timer(std::chrono::steady_clock::duration d);
    void on_h2_timer(beast::error_code ec);
    // Cancels the stream (when still open) and the timer.
    void release_h2();

    // A pooled connection failed before any body byte went out: retry on a new one.
    bool retry_fresh(const beast::error_code& ec);
    // Nothing was written to the client yet: answer 502/504 and close.
    void fail_response_body(const beast::error_code& ec);
    void fail_upstream(const beast::error_code& ec, const char* what);
    void finish(bool upstream_reusable, bool client_keep_alive, const char* note = "");
    void log(const char* note);

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
    bool client_gone_ = false;  // the client hung up, or a write to it failed
    bool client_keep_alive_ = true;
    bool upstream_keep_alive_ = false;
    unsigned client_version_ = 11;
    std::uint64_t request_body_bytes_ = 0;
    State state_ = State::Connecting;

    // HTTP/1.1 upstream only: allocated when used, so that an exchange over
    // HTTP/2 (thousands of idle watches) does not carry a kilobyte of them.
    std::unique_ptr<http::request_serializer<http::buffer_body>> request_sr_;
    std::unique_ptr<http::response_parser<http::buffer_body>> response_parser_;
    std::unique_ptr<http::response_serializer<http::buffer_body>> response_sr_;
    RelayBuffer up_chunk_, down_chunk_;
    std::size_t pending_ = 0;  // bytes of the chunk being written

    int status_ = 0;                         // the response's, once its head came
    std::uint64_t bytes_ = 0;                // response body bytes sent
    std::chrono::steady_clock::time_point started_;

    // HTTP/2 upstream state.
    bool h2_eligible_ = false;  // not an upgrade, HTTP/2 allowed
    bool h2_has_body_ = false;
    bool te_trailers_ = false;  // the client sent TE: trailers (stripped as hop-by-hop since)
    std::shared_ptr<H2Connection> h2_;
    std::int32_t stream_id_ = 0;
    bool h2_ended_ = false;
    H2End h2_end_;
    std::string h2_head_;  // the HTTP/1.1 response head, until it is sent
    BodyFraming framing_ = BodyFraming::chunked;
    // Response bytes (framed) the client socket did not take at once: only
    // a slow client has them.
    struct H2Backlog {
        std::string pending;                   // not yet written
        std::string writing;                   // being written asynchronously
        std::size_t pending_data = 0, writing_data = 0;  // body bytes in them, consumed once written
    };
    std::unique_ptr<H2Backlog> h2_backlog_;
    bool client_writing_ = false;
    bool h2_last_sent_ = false;  // the response's end is written or queued
    bool h2_body_ready_ = false;  // up_chunk_ holds request body bytes for the stream
    bool h2_body_reading_ = false;
    std::size_t h2_body_pos_ = 0, h2_body_size_ = 0;
    std::unique_ptr<net::steady_timer> h2_timer_;  // until the head; watches have none after it
    std::chrono::steady_clock::time_point h2_started_{};
    std::chrono::steady_clock::time_point h2_activity_{};
};

}  // namespace aks::proxy
