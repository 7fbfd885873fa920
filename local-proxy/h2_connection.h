#pragma once
// One HTTP/2 connection to the API server: the TLS stream under an
// H2Session, driven on its worker's thread. Reads go through the worker's
// one read buffer (an idle connection holds none); writes gather every
// stream's frames of one event-loop turn into one TLS write. Frames keep
// flowing whatever a single stream's client does: per-stream backpressure is
// flow control (H2Session), never a paused read.
//
// Health check as client-go configures Go's transport
// (k8s.io/apimachinery/pkg/util/net/http.go, readIdleTimeoutSeconds and
// pingTimeoutSeconds): after 30 s without a frame a PING goes out; no frame
// within 15 s more and the connection is given up, ending its streams (a
// dead network path must not leave watches hanging). A connection without
// streams closes after limits.pool_idle.
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "local-proxy/engine_types.h"
#include "local-proxy/h2_session.h"
#include "local-proxy/upstream_pool.h"

namespace aks::proxy {

// HTTP/2 error codes (RST_STREAM, GOAWAY) as error_codes: "HTTP/2 INTERNAL_ERROR".
beast::error_code h2_stream_error(std::uint32_t code);

class H2Connection : public std::enable_shared_from_this<H2Connection> {
public:
    struct Timing {
        std::chrono::steady_clock::duration read_idle = std::chrono::seconds(30);
        std::chrono::steady_clock::duration ping_timeout = std::chrono::seconds(15);
    };

    H2Connection(std::unique_ptr<UpstreamConn> conn, const ProxyContext& ctx, std::vector<char>& read_buffer);
    void start();

    // A new stream (see H2Session::submit): its stream id, 0 when this connection cannot take it.
    std::int32_t submit(const std::vector<H2Field>& fields, bool has_body, std::shared_ptr<H2StreamHandler> handler);
    bool can_take_stream() const { return !closed_ && session_.can_take_stream(); }
    bool closed() const { return closed_; }
    bool going_away() const { return session_.goaway_received(); }
    std::size_t open_streams() const { return session_.open_streams(); }

    // Stream operations; frames they cause go out with the next write.
    void consume(std::int32_t stream_id, std::size_t bytes);
    void resume_body(std::int32_t stream_id);
    void cancel(std::int32_t stream_id);
    // The worker is going away: let the streams' exchanges go (see H2Session::abandon).
    void abandon();

private:
    void read();
    void on_readable(beast::error_code ec, std::size_t);
    void flush();
    void write();
    void on_writable(beast::error_code ec, std::size_t);
    void arm_timer();
    void on_timer(beast::error_code ec);
    void fail(const beast::error_code& ec, const char* what);
    void close();

    std::unique_ptr<UpstreamConn> conn_;
    const ProxyContext& ctx_;
    std::vector<char>& read_buffer_;
    H2Session session_;
    Timing timing_;
    std::string out_;
    std::size_t out_pos_ = 0;
    bool writing_ = false;
    bool flush_posted_ = false;
    bool closed_ = false;
    net::steady_timer timer_;
    std::chrono::steady_clock::time_point last_read_{};
    std::chrono::steady_clock::time_point ping_sent_{};
    std::chrono::steady_clock::time_point idle_since_{};
};

}  // namespace aks::proxy
