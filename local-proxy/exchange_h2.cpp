// The Exchange over an HTTP/2 stream: the client's request goes out as one
// stream of a shared connection (h2_request_fields); the response comes back
// as the stream's head and DATA and is written to the client as HTTP/1.1 —
// with its Content-Length, chunked, or (HTTP/1.0 clients) closed at the end.
//
// Backpressure: DATA are copied into h2_in_ and written to the client one
// write at a time; only when a write completes are its bytes consume()d, which
// reopens the stream's window. A slow client therefore holds back only its
// own stream.
//
// Endings: a complete stream gives the client a complete body (the last
// chunk, or the Content-Length reached). A stream reset or a lost connection
// after the head was written ends the client connection without the body's
// end — a chunked body without its last chunk, a body shorter than its
// Content-Length — so no client takes a cut body for a whole one. Before the
// head: 502 (504 on timeout), or, when the server never processed the
// request (REFUSED_STREAM, GOAWAY) and it had no body, a retry on another
// connection: Go's transport retries the same way, and only requests whose
// body it can replay (golang.org/x/net/http2/transport.go, canRetryError and
// shouldRetryRequest); a proxied body cannot be replayed, there or here.
#include <boost/asio/write.hpp>

#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "local-proxy/exchange.h"
#include "local-proxy/h2_connection.h"
#include "local-proxy/h2_pool.h"

namespace aks::proxy {
namespace {

using Clock = std::chrono::steady_clock;

const char kCrlf[] = "\r\n";
const char kLastChunk[] = "0\r\n\r\n";

}  // namespace

void Exchange::start_h2(std::shared_ptr<H2Connection> conn) {
    auto& req = client_->parser().get();
    h2_has_body_ = !client_->parser().is_done();
    const beast::string_view method = req.method_string(), target = req.target();
    const std::int32_t id =
        conn->submit(h2_request_fields(req, {method.data(), method.size()}, {target.data(), target.size()}, te_trailers_),
                     h2_has_body_, shared_from_this());
    if (id == 0) return fail_upstream(beast::error_code(), "HTTP/2 connection full");
    h2_ = std::move(conn);
    stream_id_ = id;
    h2_ended_ = false;
    h2_end_ = {};
    h2_started_ = Clock::now();
    state_ = h2_has_body_ ? State::RequestBody : State::ResponseHead;
    if (h2_has_body_ && !h2_body_reading_) h2_read_request_body();
    h2_arm_timer(ctx_.limits.upstream_timeout);
    // A watch's client sends nothing more; its close is noticed at once.
    if (long_lived_ && !h2_has_body_) h2_watch_client();
}

// --- request body: client → stream ------------------------------------------

void Exchange::h2_read_request_body() {
    h2_body_reading_ = true;
    auto& body = client_->parser().get().body();
    body.data = up_chunk_.data();
    body.size = up_chunk_.size();
    client_->stream().expires_after(ctx_.limits.write_timeout);
    http::async_read_some(client_->stream(), client_->buffer(), client_->parser(),
                          beast::bind_front_handler(&Exchange::on_h2_request_body, shared_from_this()));
}

void Exchange::on_h2_request_body(beast::error_code ec, std::size_t) {
    h2_body_reading_ = false;
    if (state_ == State::Done) return;
    if (ec == http::error::need_buffer) ec = {};
    if (ec) return finish(false, false, "client aborted body");
    auto& body = client_->parser().get().body();
    h2_body_size_ = up_chunk_.size() - body.size;
    h2_body_pos_ = 0;
    request_body_bytes_ += h2_body_size_;
    if (h2_body_size_ == 0 && !client_->parser().is_done()) return h2_read_request_body();  // only framing
    h2_body_ready_ = true;
    if (h2_ && !h2_ended_) h2_->resume_body(stream_id_);
}

// Called by nghttp2 as the stream's window allows; the next read from the
// client starts only once this chunk is all taken.
H2BodyChunk Exchange::on_h2_body(char* buf, std::size_t size) {
    H2BodyChunk c;
    if (!h2_body_ready_) {
        c.wait = true;
        return c;
    }
    c.size = std::min(size, h2_body_size_ - h2_body_pos_);
    std::memcpy(buf, up_chunk_.data() + h2_body_pos_, c.size);
    h2_body_pos_ += c.size;
    if (h2_body_pos_ == h2_body_size_) {
        h2_body_ready_ = false;
        if (client_->parser().is_done()) {
            c.eof = true;
            if (state_ == State::RequestBody) state_ = State::ResponseHead;
        } else {
            h2_read_request_body();
            c.wait = c.size == 0;
        }
    }
    return c;
}

// --- response: stream → client ----------------------------------------------

void Exchange::on_h2_head(int status, std::vector<H2Field>&& fields) {
    if (state_ == State::Done) return;
    record_.status = status;
    if (head_request_ || status == 204 || status == 304) {
        framing_ = BodyFraming::none;
    } else if (h2_content_length(fields)) {
        framing_ = BodyFraming::length;
    } else if (client_version_ >= 11) {
        framing_ = BodyFraming::chunked;
    } else {
        framing_ = BodyFraming::close;
        client_keep_alive_ = false;
    }
    h2_fields_ = std::move(fields);
    h2_activity_ = Clock::now();
    if (state_ != State::RequestBody) state_ = State::ResponseBody;
    if (long_lived_) {
        // The request (with its token) is not sent again once an answer
        // came: a watch need not keep it for hours.
        if (client_->parser().is_done()) client_->parser().get() = {};
        h2_write();  // a watch's head goes out at once; its first event may be far off
    }
}

void Exchange::on_h2_data(const char* data, std::size_t size) {
    if (state_ == State::Done) return;
    h2_in_.append(data, size);
    h2_activity_ = Clock::now();
    h2_write();
}

void Exchange::on_h2_end(const H2End& end) {
    if (state_ == State::Done) return;
    h2_ended_ = true;
    h2_end_ = end;
    if (end.complete || record_.status != 0) return h2_write();
    // No head: nothing reached the client yet.
    if (end.retryable && !retried_ && !h2_has_body_) {
        note_failure(ctx_, h2_stream_error(end.code), "HTTP/2 stream not processed (retrying)");
        retried_ = true;
        release_h2();
        return do_connect();
    }
    if (end.connection_lost) return fail_upstream(net::error::connection_reset, "HTTP/2 connection");
    fail_upstream(h2_stream_error(end.code), "HTTP/2 stream");
}

// One write at a time: the head (with the first body bytes, for a short
// answer), then whatever arrived meanwhile, then the end.
void Exchange::h2_write() {
    if (client_writing_ || state_ == State::Done) return;
    const bool complete = h2_ended_ && h2_end_.complete;
    const bool broken = h2_ended_ && !h2_end_.complete;
    if (!head_written_) {
        if (record_.status == 0) return;
        // A short answer's head waits for its first body bytes (one write, not two).
        if (!long_lived_ && h2_in_.empty() && !h2_ended_) return;
        if (broken && h2_in_.empty()) return fail_upstream(h2_stream_error(h2_end_.code), "HTTP/2 stream");
        if (complete && h2_in_.empty() && framing_ == BodyFraming::chunked) framing_ = BodyFraming::empty;
        h2_head_ = http1_response_head(record_.status, h2_fields_, framing_, client_keep_alive_, client_version_ < 11);
        h2_fields_ = {};
    } else if (h2_in_.empty()) {
        if (!h2_ended_) return;
        if (broken) return finish(false, false, "upstream aborted");
        if (framing_ != BodyFraming::chunked) return finish(true, client_keep_alive_ && client_->parser().is_done());
    }
    h2_out_.swap(h2_in_);
    std::array<net::const_buffer, 5> bufs{};
    std::size_t n = 0;
    if (!h2_head_.empty()) bufs[n++] = net::buffer(h2_head_);
    const bool chunked = framing_ == BodyFraming::chunked;
    if (!h2_out_.empty()) {
        if (chunked) {
            const int len = std::snprintf(h2_chunk_line_, sizeof h2_chunk_line_, "%zx\r\n", h2_out_.size());
            bufs[n++] = net::buffer(h2_chunk_line_, static_cast<std::size_t>(len));
        }
        bufs[n++] = net::buffer(h2_out_);
        if (chunked) bufs[n++] = net::buffer(kCrlf, 2);
    }
    // Everything the stream will give is in this write.
    const bool last = complete;
    if (last && chunked) bufs[n++] = net::buffer(kLastChunk, sizeof kLastChunk - 1);
    client_writing_ = true;
    client_->stream().expires_after(ctx_.limits.write_timeout);
    net::async_write(client_->stream(), bufs,
                     beast::bind_front_handler(&Exchange::on_h2_client_write, shared_from_this(), last));
}

void Exchange::on_h2_client_write(bool last, beast::error_code ec, std::size_t) {
    client_writing_ = false;
    if (state_ == State::Done) return;
    if (ec) return finish(false, false, "client gone");
    head_written_ = true;
    if (!h2_head_.empty()) std::string().swap(h2_head_);
    const std::size_t bytes = h2_out_.size();
    record_.bytes += bytes;
    // The client has them: the stream's window reopens by as much.
    if (h2_ && !h2_ended_ && bytes > 0) h2_->consume(stream_id_, bytes);
    h2_activity_ = Clock::now();
    if (long_lived_)
        std::string().swap(h2_out_);  // between events a watch holds no buffer
    else
        h2_out_.clear();
    if (last) return finish(true, client_keep_alive_ && client_->parser().is_done());
    h2_write();
}

// --- deadlines and the client's close ---------------------------------------

// One timer: the response head within upstream_timeout, then no silence
// longer than upstream_timeout (stream_idle for watches and log follows).
void Exchange::h2_arm_timer(std::chrono::steady_clock::duration d) {
    if (!h2_timer_) h2_timer_.emplace(client_->stream().get_executor());
    h2_timer_->expires_after(d);
    h2_timer_->async_wait(beast::bind_front_handler(&Exchange::on_h2_timer, shared_from_this()));
}

void Exchange::on_h2_timer(beast::error_code ec) {
    if (ec || state_ == State::Done) return;
    const auto now = Clock::now();
    const auto deadline = record_.status == 0
                              ? h2_started_ + ctx_.limits.upstream_timeout
                              : h2_activity_ + (long_lived_ ? ctx_.limits.stream_idle : ctx_.limits.upstream_timeout);
    if (now < deadline) return h2_arm_timer(deadline - now);
    if (!head_written_) return fail_upstream(beast::error::timeout, "response");
    finish(false, false, "upstream timeout");
}

// A readiness wait on the client socket, holding no buffer: EOF means the
// client went away, and the stream is reset at once rather than at the
// next event (the API server frees its watch; the stream slot is free).
void Exchange::h2_watch_client() {
    if (h2_watching_client_) return;
    h2_watching_client_ = true;
    client_->stream().socket().async_wait(net::socket_base::wait_read,
                                          [self = shared_from_this()](beast::error_code ec) {
                                              self->on_h2_client_readable(ec);
                                          });
}

void Exchange::on_h2_client_readable(beast::error_code ec) {
    if (ec == net::error::operation_aborted) return;  // released (the flag belongs to a newer wait, if any)
    h2_watching_client_ = false;
    if (state_ == State::Done) return;
    if (!ec) {
        char c;
        const ssize_t n = ::recv(client_->stream().socket().native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n > 0) return;  // the client sent more: read after this exchange, not a close
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return h2_watch_client();
    }
    finish(false, false, "client gone");
}

void Exchange::release_h2() {
    if (h2_watching_client_ && client_) {
        // Also ends a write still pending, which only a failure leaves behind.
        beast::error_code ignored;
        client_->stream().socket().cancel(ignored);
        h2_watching_client_ = false;
    }
    if (h2_timer_) h2_timer_->cancel();
    if (auto conn = std::move(h2_)) {
        if (!h2_ended_) conn->cancel(stream_id_);
    }
}

}  // namespace aks::proxy
