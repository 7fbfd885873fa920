// The Exchange over an HTTP/2 stream: the client's request goes out as one
// stream of a shared connection (h2_request_fields); the response comes back
// as the stream's head and DATA and is written to the client as HTTP/1.1 —
// with its Content-Length, chunked, or (HTTP/1.0 clients) closed at the end.
//
// Backpressure: DATA go to the client as they come when its socket takes them
// (written straight from the connection's read buffer); what it does not
// take waits in h2_backlog_, written one asynchronous write at a time, and
// only once that completes are its bytes consume()d, which reopens the
// stream's window. A slow client therefore holds back only its own stream.
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

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>

#include "local-proxy/exchange.h"
#include "local-proxy/forwarded_request.h"
#include "local-proxy/h2_connection.h"
#include "local-proxy/h2_pool.h"

namespace aks::proxy {
namespace {

using Clock = std::chrono::steady_clock;

const char kCrlf[] = "\r\n";
const char kLastChunk[] = "0\r\n\r\n";

}  // namespace

void Exchange::start_h2(std::shared_ptr<H2Connection> conn) {
    if (client_gone_) return finish(false, false, "client gone");  // hung up while connecting
    h2_has_body_ = !client_->parser().is_done();
    std::string names;  // nghttp2 copies the fields as it takes them
    // The request run() prepared for upstream, as HTTP/2 fields: the same
    // admitted target, Host and Authorization the HTTP/1.1 path writes.
    const std::int32_t id = conn->submit(forwarded_h2_fields(client_->parser().get(), te_trailers_, names),
                                         h2_has_body_, shared_from_this());
    if (id == 0) return fail_upstream(beast::error_code(), "HTTP/2 connection full");
    h2_ = std::move(conn);
    stream_id_ = id;
    h2_ended_ = false;
    h2_end_ = {};
    h2_started_ = Clock::now();
    // Response bytes are written at once when the socket takes them (h2_send).
    beast::error_code ignored;  // a failure shows on the first write
    if (!client_->stream().socket().non_blocking()) client_->stream().socket().non_blocking(true, ignored);
    state_ = h2_has_body_ ? State::RequestBody : State::ResponseHead;
    if (h2_has_body_ && !h2_body_reading_) h2_read_request_body();
    h2_arm_timer(ctx_.limits.upstream_timeout);
    // A watch's client sends nothing more; its close is noticed at once.
    if (long_lived_ && !h2_has_body_) watch_client();
}

// --- request body: client → stream ------------------------------------------

void Exchange::h2_read_request_body() {
    h2_body_reading_ = true;
    read_client_body(&Exchange::on_h2_request_body);
}

void Exchange::on_h2_request_body(beast::error_code ec, std::size_t) {
    h2_body_reading_ = false;
    if (state_ == State::Done) return;
    if (ec == http::error::need_buffer) ec = {};
    if (ec) return finish(false, false, "client aborted body");
    h2_body_size_ = client_body_read();
    h2_body_pos_ = 0;
    request_body_bytes_ += h2_body_size_;
    if (h2_body_size_ == 0 && !client_->request_done()) return h2_read_request_body();  // only framing
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
        if (client_->request_done()) {
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

void Exchange::on_h2_head(int status, const std::vector<H2Field>& fields, bool ended) {
    if (state_ == State::Done) return;
    status_ = status;
    if (head_request_ || status == 204 || status == 304) {
        framing_ = BodyFraming::none;
    } else if (h2_content_length(fields)) {
        framing_ = BodyFraming::length;
    } else if (ended) {
        framing_ = BodyFraming::empty;
    } else if (client_version_ >= 11) {
        framing_ = BodyFraming::chunked;
    } else {
        framing_ = BodyFraming::close;
        client_keep_alive_ = false;
    }
    if (ctx_.headlamp) {
        // As in exchange.cpp: the launch host name must not reach other sites in Referer.
        std::vector<H2Field> without = fields;
        without.erase(std::remove_if(without.begin(), without.end(),
                                     [](const H2Field& f) { return f.first == kReferrerPolicyFieldH2; }),
                      without.end());
        without.emplace_back(kReferrerPolicyFieldH2, kNoReferrer);
        h2_head_ = http1_response_head(status, without, framing_, client_keep_alive_, client_version_ < 11);
    } else {
        h2_head_ = http1_response_head(status, fields, framing_, client_keep_alive_, client_version_ < 11);
    }
    h2_activity_ = Clock::now();
    if (state_ != State::RequestBody) state_ = State::ResponseBody;
    if (long_lived_) {
        // The request (with its token) is not sent again once an answer
        // came: a watch need not keep it for hours. Nor a timer: silence is
        // normal; a dead path ends it through the connection's health check.
        if (client_->request_done() && !h2_body_reading_) client_->drop_request();
        h2_timer_.reset();
        h2_send(nullptr, 0, false);  // a watch's head goes out at once; its first event may be far off
    }
    // A short answer's head waits for its first body bytes: one write, not two.
}

std::size_t Exchange::on_h2_data(const char* data, std::size_t size) {
    if (state_ == State::Done) return 0;
    h2_activity_ = Clock::now();
    return h2_send(data, size, false);
}

void Exchange::on_h2_end(const H2End& end) {
    if (state_ == State::Done) return;
    h2_ended_ = true;
    h2_end_ = end;
    if (end.complete) {
        h2_send(nullptr, 0, true);
        return h2_after_write();
    }
    if (status_ != 0) {
        // Broken after the head: what came goes out, then the client
        // connection ends without the body's end. Before anything was
        // written the client can still get a 502.
        if (!head_written_) return fail_upstream(h2_stream_error(end.code), "HTTP/2 stream");
        return h2_after_write();
    }
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

// Response bytes to the client, in order: the head when not yet sent, the
// body bytes framed, the end. Written at once when the client socket takes
// them — no copy, no asynchronous operation, the usual case — otherwise kept
// in h2_backlog_ and written asynchronously. Returns the body bytes the
// client took now.
std::size_t Exchange::h2_send(const char* data, std::size_t size, bool last) {
    if (state_ == State::Done || client_gone_) return 0;
    const bool chunked = framing_ == BodyFraming::chunked;
    std::array<net::const_buffer, 5> bufs{};
    std::size_t n = 0;
    std::string head;
    if (!head_written_) {
        head = std::move(h2_head_);
        h2_head_ = {};
        head_written_ = true;  // from here on the client gets this answer, whole or broken
        bufs[n++] = net::buffer(head);
    }
    char chunk_line[20];  // what the socket does not take now is copied below
    if (size > 0) {
        if (chunked) {
            const int len = std::snprintf(chunk_line, sizeof chunk_line, "%zx\r\n", size);
            bufs[n++] = net::buffer(chunk_line, static_cast<std::size_t>(len));
        }
        bufs[n++] = net::buffer(data, size);
        if (chunked) bufs[n++] = net::buffer(kCrlf, 2);
        bytes_ += size;
    }
    if (last) {
        h2_last_sent_ = true;
        if (chunked) bufs[n++] = net::buffer(kLastChunk, sizeof kLastChunk - 1);
    }
    if (n == 0) return 0;
    std::size_t written = 0;
    if (!client_writing_ && (!h2_backlog_ || h2_backlog_->pending.empty())) {
        beast::error_code ec;
        written = client_->stream().socket().write_some(bufs, ec);  // the socket is non-blocking (start_h2)
        if (ec == net::error::would_block || ec == net::error::try_again) {
            ec = {};
            written = 0;
        }
        if (ec) {
            // The client is gone; the exchange ends once the current callback
            // (nghttp2's, maybe) has returned.
            client_gone_ = true;
            finish_client_gone_later();
            return 0;
        }
    }
    if (written == net::buffer_size(bufs)) return size;  // all at once
    if (!h2_backlog_) h2_backlog_ = std::make_unique<H2Backlog>();
    std::size_t skip = written;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t len = bufs[i].size();
        if (skip >= len) {
            skip -= len;
            continue;
        }
        h2_backlog_->pending.append(static_cast<const char*>(bufs[i].data()) + skip, len - skip);
        skip = 0;
    }
    h2_backlog_->pending_data += size;
    if (!client_writing_) h2_write_pending();
    return 0;
}

void Exchange::h2_write_pending() {
    H2Backlog& b = *h2_backlog_;
    b.writing.swap(b.pending);
    b.pending.clear();
    b.writing_data = b.pending_data;
    b.pending_data = 0;
    client_writing_ = true;
    client_->stream().expires_after(ctx_.limits.write_timeout);
    net::async_write(client_->stream(), net::buffer(b.writing),
                     beast::bind_front_handler(&Exchange::on_h2_client_write, shared_from_this()));
}

void Exchange::on_h2_client_write(beast::error_code ec, std::size_t) {
    client_writing_ = false;
    if (state_ == State::Done) return;
    if (ec) return finish(false, false, "client gone");
    // The client has them: the stream's window reopens by as much.
    H2Backlog& b = *h2_backlog_;
    if (h2_ && !h2_ended_ && b.writing_data > 0) h2_->consume(stream_id_, b.writing_data);
    h2_activity_ = Clock::now();
    if (!b.pending.empty()) return h2_write_pending();
    h2_backlog_.reset();  // a slow client's buffers go once it caught up
    h2_after_write();
}

// Nothing is being written: the exchange ends when the stream has.
void Exchange::h2_after_write() {
    if (state_ == State::Done || client_writing_ || h2_backlog_ || !h2_ended_) return;
    if (!h2_end_.complete) return finish(false, false, "upstream aborted");
    if (h2_last_sent_) finish(true, client_keep_alive_ && client_->request_done());
}

// --- deadlines ---------------------------------------------------------------

// One timer: the response head within upstream_timeout, then (not for
// watches and log follows) no silence longer than upstream_timeout.
void Exchange::h2_arm_timer(std::chrono::steady_clock::duration d) {
    if (!h2_timer_) h2_timer_ = std::make_unique<net::steady_timer>(client_->stream().get_executor());
    h2_timer_->expires_after(d);
    h2_timer_->async_wait(beast::bind_front_handler(&Exchange::on_h2_timer, shared_from_this()));
}

void Exchange::on_h2_timer(beast::error_code ec) {
    if (ec || state_ == State::Done) return;
    const auto now = Clock::now();
    const auto deadline = status_ == 0 ? h2_started_ + ctx_.limits.upstream_timeout
                                              : h2_activity_ + ctx_.limits.upstream_timeout;
    if (now < deadline) return h2_arm_timer(deadline - now);
    if (!head_written_) return fail_upstream(beast::error::timeout, "response");
    finish(false, false, "upstream timeout");
}

void Exchange::release_h2() {
    if (h2_timer_) h2_timer_->cancel();
    if (auto conn = std::move(h2_)) {
        if (!h2_ended_) conn->cancel(stream_id_);
    }
}

}  // namespace aks::proxy
