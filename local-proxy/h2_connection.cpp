#include "local-proxy/h2_connection.h"

#include <boost/asio/post.hpp>

#include <nghttp2/nghttp2.h>

namespace aks::proxy {
namespace {

using Want = UpstreamStream::Want;
using Clock = std::chrono::steady_clock;

// Frames waiting for one write: enough for many streams' worth, small
// enough that one connection's write does not hold the worker long.
constexpr std::size_t kWriteBatch = 64 * 1024;
constexpr auto kTick = std::chrono::seconds(5);
// Ciphertext per read: a full TLS record. The buffer is held while the read
// waits, and a connection serves up to 250 streams (kube-apiserver's
// default), so its size counts per idle watch too.
constexpr std::size_t kReadBuffer = 16 * 1024 + 512;
// The write batch's buffer is given back after a burst larger than this.
constexpr std::size_t kKeepWriteBuffer = 4 * 1024;

class H2ErrorCategory : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "http2"; }
    std::string message(int code) const override {
        return std::string("HTTP/2 ") + nghttp2_http2_strerror(static_cast<std::uint32_t>(code));
    }
};

H2Session::Settings session_settings(const ProxyContext& ctx) {
    H2Session::Settings s;
    s.header_limit = ctx.limits.upstream_header_limit;
    return s;
}

}  // namespace

beast::error_code h2_stream_error(std::uint32_t code) {
    static const H2ErrorCategory category;
    return {static_cast<int>(code), category};
}

H2Connection::H2Connection(std::unique_ptr<UpstreamConn> conn, const ProxyContext& ctx, std::vector<char>& read_buffer)
    : conn_(std::move(conn)),
      ctx_(ctx),
      read_buffer_(read_buffer),
      session_(session_settings(ctx)),
      timer_(conn_->stream.get_executor()) {}

void H2Connection::start() {
    // Records are read through a buffer of the connection's own (see
    // read_through_buffer); OpenSSL's own buffers are given back whenever
    // it holds no partial record (a connection of idle watches holds none).
    conn_->stream.read_through_buffer(kReadBuffer);
    conn_->stream.expires_never();
    last_read_ = idle_since_ = Clock::now();
    arm_timer();
    write();                           // the connection preface and SETTINGS
    on_readable(beast::error_code(), 0);  // the server's SETTINGS may already be buffered
}

std::int32_t H2Connection::submit(const std::vector<H2Field>& fields, bool has_body,
                                  std::shared_ptr<H2StreamHandler> handler) {
    if (closed_) return 0;
    const std::int32_t id = session_.submit(fields, has_body, std::move(handler));
    if (id > 0) flush();
    return id;
}

void H2Connection::consume(std::int32_t stream_id, std::size_t bytes) {
    if (closed_) return;
    session_.consume(stream_id, bytes);
    if (session_.wants_write()) flush();
}

void H2Connection::resume_body(std::int32_t stream_id) {
    if (closed_) return;
    session_.resume_body(stream_id);
    flush();
}

void H2Connection::cancel(std::int32_t stream_id) {
    if (closed_) return;
    session_.cancel(stream_id);
    flush();
}

// Decrypts what the last read brought, all into the worker's buffer: each
// piece is handed to the session before the next one, and the buffer is free
// again when this returns.
void H2Connection::on_readable(beast::error_code ec, std::size_t) {
    if (closed_) return;
    if (ec) return fail(ec, "HTTP/2 connection");
    for (;;) {
        const UpstreamStream::Outcome o = conn_->stream.read_now(read_buffer_.data(), read_buffer_.size());
        if (o.want == Want::read) break;
        if (o.want == Want::write) {
            // OpenSSL must write before it can read on (a TLS key update).
            return conn_->stream.async_wait_for(Want::write,
                                                beast::bind_front_handler(&H2Connection::on_readable, shared_from_this()));
        }
        if (o.ec) return fail(o.ec, "HTTP/2 connection");
        last_read_ = Clock::now();
        if (!session_.receive(read_buffer_.data(), o.bytes)) return fail(h2_stream_error(NGHTTP2_PROTOCOL_ERROR), "HTTP/2 connection");
        if (closed_) return;
    }
    if (session_.wants_write()) flush();
    if (session_.finished() && !writing_) return close();
    read();
}

void H2Connection::read() {
    conn_->stream.async_fill(beast::bind_front_handler(&H2Connection::on_readable, shared_from_this()));
}

// Writes wait for the end of the event-loop turn, so that the frames of
// every stream that acted in it leave together.
void H2Connection::flush() {
    if (writing_ || flush_posted_ || closed_) return;
    flush_posted_ = true;
    net::post(conn_->stream.get_executor(), [self = shared_from_this()] {
        self->flush_posted_ = false;
        self->write();
    });
}

void H2Connection::write() {
    if (writing_ || closed_) return;
    for (;;) {
        if (out_pos_ == out_.size()) {
            out_.clear();
            out_pos_ = 0;
            if (!session_.take_output(out_, kWriteBatch)) return fail(h2_stream_error(NGHTTP2_PROTOCOL_ERROR), "HTTP/2 connection");
            if (closed_) return;
            if (out_.empty()) break;
        }
        const UpstreamStream::Outcome o = conn_->stream.write_now(out_.data() + out_pos_, out_.size() - out_pos_);
        if (o.want != Want::done) {
            // The server reads slowly: wait, within the upstream timeout.
            writing_ = true;
            conn_->stream.expires_after(ctx_.limits.upstream_timeout);
            return conn_->stream.async_wait_for(o.want,
                                                beast::bind_front_handler(&H2Connection::on_writable, shared_from_this()));
        }
        if (o.ec) return fail(o.ec, "HTTP/2 connection");
        out_pos_ += o.bytes;
    }
    if (out_.capacity() > kKeepWriteBuffer) std::string().swap(out_);  // after a burst or a large request body
    if (session_.finished()) close();
}

void H2Connection::on_writable(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (closed_) return;
    conn_->stream.expires_never();
    if (ec) return fail(ec, "HTTP/2 connection");
    write();
}

void H2Connection::arm_timer() {
    timer_.expires_after(kTick);
    timer_.async_wait(beast::bind_front_handler(&H2Connection::on_timer, shared_from_this()));
}

void H2Connection::on_timer(beast::error_code ec) {
    if (ec || closed_) return;
    const auto now = Clock::now();
    if (session_.open_streams() > 0) {
        idle_since_ = now;
    } else if (now - idle_since_ >= ctx_.limits.pool_idle || ctx_.draining) {
        return close();
    }
    if (session_.ping_outstanding()) {
        if (now - ping_sent_ >= timing_.ping_timeout) return fail(beast::error::timeout, "HTTP/2 health check");
    } else if (now - last_read_ >= timing_.read_idle && session_.ping()) {
        ping_sent_ = now;
        flush();
    }
    arm_timer();
}

void H2Connection::fail(const beast::error_code& ec, const char* what) {
    note_failure(ctx_, ec, what);
    close();
}

void H2Connection::abandon() {
    closed_ = true;
    timer_.cancel();
    conn_->stream.close();
    session_.abandon();
}

// Every stream still open ends (broken off, or retried when its request never left).
void H2Connection::close() {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    conn_->stream.close();
    session_.fail_all();
}

}  // namespace aks::proxy
