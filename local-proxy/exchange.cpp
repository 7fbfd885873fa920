#include "local-proxy/exchange.h"

#include <sys/socket.h>

#include <boost/asio/write.hpp>

#include <cerrno>

#include "local-proxy/forwarded_request.h"
#include "local-proxy/h2_pool.h"
#include "local-proxy/header_rules.h"
#include "local-proxy/request_filter.h"
#include "local-proxy/tunnel.h"
#include "local-proxy/upstream.h"

namespace aks::proxy {
namespace {

bool iequals_ascii(beast::string_view a, const char* b) { return beast::iequals(a, beast::string_view(b)); }

}  // namespace

Exchange::Exchange(std::shared_ptr<ClientSession> client, UpstreamPool& pool, ProxyContext& ctx,
                   std::shared_ptr<const std::string> authorization, std::chrono::steady_clock::time_point started)
    : client_(std::move(client)),
      pool_(pool),
      ctx_(ctx),
      authorization_(std::move(authorization)),
      started_(started) {}

Exchange::~Exchange() {
    if (!long_lived_) --ctx_.in_flight;
}

void Exchange::run() {
    auto& req = client_->parser().get();
    const std::string_view target(req.target().data(), req.target().size());
    upgrade_ = is_upgrade_request(req);
    long_lived_ = upgrade_ || is_long_lived(target);
    if (!long_lived_) ++ctx_.in_flight;
    // Buffers only where a body flows; watches and log follows carry small
    // events, and thousands of them may be open at once.
    if (!client_->parser().is_done()) up_chunk_.resize(ctx_.limits.chunk);
    // Nothing more comes from a watch's client until the exchange ends.
    if (long_lived_ && client_->parser().is_done() && client_->buffer().size() == 0) client_->buffer().shrink_to_fit();
    head_request_ = req.method() == http::verb::head;
    client_keep_alive_ = req.keep_alive() && !upgrade_;
    client_version_ = req.version();  // the request goes upstream as HTTP/1.1
    const bool expect_continue = iequals_ascii(req[http::field::expect], "100-continue");
    const bool chunked = client_->parser().chunked();
    // HTTP/2 upstream for everything but upgrades (and CONNECT, which the API server does not serve).
    h2_eligible_ = pool_.h2_enabled() && !upgrade_ && req.method() != http::verb::connect;
    te_trailers_ = h2_eligible_ && te_has_trailers(req);

    // One forwarded request for both upstream protocols: the HTTP/1.1
    // serializer writes it, start_h2 maps it to HTTP/2 fields (forwarded_h2_fields).
    prepare_forwarded_request(req, ctx_, *authorization_, upgrade_, chunked, client_->parser().content_length());

    if (expect_continue && !client_->parser().is_done()) return do_continue();
    do_connect();
}

// The proxy answers Expect: 100-continue itself (and drops Expect upstream):
// the request was admitted, so the client may send its body.
void Exchange::do_continue() {
    static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
    client_->stream().expires_after(ctx_.limits.write_timeout);
    net::async_write(client_->stream(), net::buffer(kContinue, sizeof kContinue - 1),
                     beast::bind_front_handler(&Exchange::on_continue, shared_from_this()));
}

void Exchange::on_continue(beast::error_code ec, std::size_t) {
    if (ec) return finish(false, false, "client gone");
    do_connect();
}

void Exchange::do_connect() {
    state_ = State::Connecting;
    if (h2_eligible_) {
        if (auto h2 = pool_.h2().find()) return start_h2(std::move(h2));
    }
    if (!retried_) up_ = pool_.take();
    if (up_) {
        reused_ = true;
        return do_write_request_head();
    }
    reused_ = false;
    // A new connection: HTTP/2 when the server picks it (ALPN), else HTTP/1.1.
    if (h2_eligible_)
        return pool_.h2().connect(beast::bind_front_handler(&Exchange::on_connect_any, shared_from_this()));
    pool_.connect(beast::bind_front_handler(&Exchange::on_connect, shared_from_this()));
}

void Exchange::on_connect_any(beast::error_code ec, std::shared_ptr<H2Connection> h2, std::unique_ptr<UpstreamConn> conn) {
    if (ec) return fail_upstream(ec, "connect");
    if (h2) return start_h2(std::move(h2));
    on_connect(ec, std::move(conn));
}

void Exchange::on_connect(beast::error_code ec, std::unique_ptr<UpstreamConn> conn) {
    if (ec) return fail_upstream(ec, "connect");
    up_ = std::move(conn);
    do_write_request_head();
}

void Exchange::do_write_request_head() {
    state_ = State::RequestHead;
    // The HTTP/1.1 response body is read through this; watches take theirs per event.
    if (!long_lived_ && down_chunk_.empty()) down_chunk_.resize(ctx_.limits.chunk);
    request_sr_ = std::make_unique<http::request_serializer<http::buffer_body>>(client_->parser().get());
    up_->stream.expires_after(ctx_.limits.upstream_timeout);
    http::async_write_header(up_->stream, *request_sr_,
                             beast::bind_front_handler(&Exchange::on_write_request_head, shared_from_this()));
}

void Exchange::on_write_request_head(beast::error_code ec, std::size_t) {
    if (ec) {
        if (retry_fresh(ec)) return;
        return fail_upstream(ec, "send");
    }
    do_read_request_body();
}

void Exchange::do_read_request_body() {
    state_ = State::RequestBody;
    auto& body = client_->parser().get().body();
    if (client_->parser().is_done()) {
        // No (more) body: let the serializer finish (the last chunk when chunked).
        body.data = nullptr;
        body.size = 0;
        body.more = false;
        return do_write_request_body();
    }
    read_client_body(&Exchange::on_read_request_body);
}

// The next piece of the request body into up_chunk_; read_some: what has
// arrived is forwarded instead of waiting for a full chunk.
void Exchange::read_client_body(void (Exchange::*done)(beast::error_code, std::size_t)) {
    auto& body = client_->parser().get().body();
    body.data = up_chunk_.data();
    body.size = up_chunk_.size();
    client_->stream().expires_after(ctx_.limits.write_timeout);
    http::async_read_some(client_->stream(), client_->buffer(), client_->parser(),
                          beast::bind_front_handler(done, shared_from_this()));
}

std::size_t Exchange::client_body_read() { return up_chunk_.size() - client_->parser().get().body().size; }

void Exchange::on_read_request_body(beast::error_code ec, std::size_t) {
    if (ec == http::error::need_buffer) ec = {};
    if (ec) return finish(false, false, "client aborted body");
    auto& body = client_->parser().get().body();
    body.size = client_body_read();
    body.data = up_chunk_.data();
    body.more = !client_->parser().is_done();
    request_body_bytes_ += body.size;
    if (body.size == 0 && body.more) return do_read_request_body();  // only framing was read
    // A last read that carried only the terminating chunk: no empty data chunk
    // before the end marker (Beast would write "0\r\n\r\n" twice).
    if (body.size == 0) body.data = nullptr;
    do_write_request_body();
}

void Exchange::do_write_request_body() {
    up_->stream.expires_after(ctx_.limits.upstream_timeout);
    http::async_write(up_->stream, *request_sr_,
                      beast::bind_front_handler(&Exchange::on_write_request_body, shared_from_this()));
}

void Exchange::on_write_request_body(beast::error_code ec, std::size_t) {
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
        if (retry_fresh(ec)) return;
        return fail_upstream(ec, "send body");
    }
    if (request_sr_->is_done()) return do_read_response_head();
    do_read_request_body();
}

void Exchange::do_read_response_head() {
    state_ = State::ResponseHead;
    if (long_lived_ && !upgrade_) watch_client();
    response_parser_ = std::make_unique<http::response_parser<http::buffer_body>>();
    response_parser_->header_limit(ctx_.limits.upstream_header_limit);
    response_parser_->body_limit(kNoBodyLimit);
    if (head_request_) response_parser_->skip(true);
    // Beast reads max(512, free capacity) at a time: room for a whole chunk,
    // or a 6 KiB pod list leaves in a dozen writes. Watches and log follows
    // keep the small default: thousands of them wait at once.
    if (!long_lived_) up_->buffer.reserve(ctx_.limits.chunk);
    up_->stream.expires_after(ctx_.limits.upstream_timeout);
    http::async_read_header(up_->stream, up_->buffer, *response_parser_,
                            beast::bind_front_handler(&Exchange::on_read_response_head, shared_from_this()));
}

void Exchange::on_read_response_head(beast::error_code ec, std::size_t) {
    if (client_gone_) return finish(false, false, "client gone");
    if (ec) {
        if (retry_fresh(ec)) return;
        return fail_upstream(ec, "response");
    }
    if (long_lived_) {
        // The request (with its token) is not sent again once an answer
        // came: a watch or tunnel need not keep it for hours.
        request_sr_.reset();
        client_->parser().get() = {};
    }
    auto& res = response_parser_->get();
    const int code = res.result_int();
    if (code == 101) {
        if (!upgrade_) return fail_upstream(beast::error_code(), "unrequested 101");
        strip_hop_by_hop(res, true);
        return do_write_response_head();
    }
    if (code >= 100 && code < 200) return do_read_response_head();  // interim answers are not relayed

    upstream_keep_alive_ = res.keep_alive();
    const bool has_length = response_parser_->content_length().has_value();
    const bool body_follows = !response_parser_->is_done();
    strip_hop_by_hop(res, false);
    // Headlamp mode: the launch host name must not reach other sites in Referer.
    if (ctx_.headlamp) res.set(kReferrerPolicyField, kNoReferrer);
    res.version(11);
    if (body_follows && !has_length) {
        // Chunked or ended by close upstream: chunked to HTTP/1.1 clients, close-delimited to HTTP/1.0 ones.
        if (client_version_ >= 11)
            res.chunked(true);
        else
            client_keep_alive_ = false;
    }
    res.keep_alive(client_keep_alive_);
    if (!long_lived_) {
        // The head goes out with the first piece of the body: one write, not two.
        status_ = code;
        response_sr_ = std::make_unique<http::response_serializer<http::buffer_body>>(res);
        return do_read_response_body();
    }
    do_write_response_head();
}

void Exchange::do_write_response_head() {
    status_ = response_parser_->get().result_int();
    response_sr_ = std::make_unique<http::response_serializer<http::buffer_body>>(response_parser_->get());
    client_->stream().expires_after(ctx_.limits.write_timeout);
    http::async_write_header(client_->stream(), *response_sr_,
                             beast::bind_front_handler(&Exchange::on_write_response_head, shared_from_this()));
}

void Exchange::on_write_response_head(beast::error_code ec, std::size_t) {
    if (ec) return finish(false, false, "client gone");
    head_written_ = true;
    if (status_ == 101) return start_tunnel();
    do_read_response_body();
}

void Exchange::do_read_response_body() {
    state_ = State::ResponseBody;
    auto& body = response_parser_->get().body();
    if (response_parser_->is_done()) {
        body.data = nullptr;
        body.size = 0;
        body.more = false;
        pending_ = 0;
        client_->stream().expires_after(ctx_.limits.write_timeout);
        return http::async_write(client_->stream(), *response_sr_,
                                 beast::bind_front_handler(&Exchange::on_write_response_body, shared_from_this()));
    }
    if (long_lived_ && up_->buffer.size() == 0) {
        // Between events a watch or log follow holds no buffer: thousands
        // wait at once. It takes them back when bytes arrive.
        down_chunk_ = RelayBuffer();
        up_->buffer.shrink_to_fit();
        up_->stream.expires_after(ctx_.limits.stream_idle);
        return up_->stream.async_wait_readable(
            beast::bind_front_handler(&Exchange::on_response_readable, shared_from_this()));
    }
    do_read_response_body_some();
}

void Exchange::on_response_readable(beast::error_code ec, std::size_t) {
    if (client_gone_) return finish(false, false, "client gone");
    if (ec) return fail_response_body(ec);
    up_->buffer.reserve(ctx_.limits.chunk / 4);
    do_read_response_body_some();
}

void Exchange::do_read_response_body_some() {
    if (down_chunk_.empty()) down_chunk_.resize(ctx_.limits.chunk / 4);  // a watch's, taken back
    auto& body = response_parser_->get().body();
    body.data = down_chunk_.data();
    body.size = down_chunk_.size();
    up_->stream.expires_after(long_lived_ ? ctx_.limits.stream_idle : ctx_.limits.upstream_timeout);
    // read_some: a watch event or log line goes out as soon as it arrives.
    http::async_read_some(up_->stream, up_->buffer, *response_parser_,
                          beast::bind_front_handler(&Exchange::on_read_response_body, shared_from_this()));
}

void Exchange::on_read_response_body(beast::error_code ec, std::size_t) {
    if (client_gone_) return finish(false, false, "client gone");
    if (ec == http::error::need_buffer) ec = {};
    if (ec) return fail_response_body(ec);
    auto& body = response_parser_->get().body();
    body.size = down_chunk_.size() - body.size;
    body.data = down_chunk_.data();
    body.more = !response_parser_->is_done();
    if (body.size == 0 && body.more) return do_read_response_body();  // only framing was read
    // A last read that carried only the terminating chunk: no empty data chunk
    // before the end marker (Beast would write "0\r\n\r\n" twice).
    if (body.size == 0) body.data = nullptr;
    pending_ = body.size;
    client_->stream().expires_after(ctx_.limits.write_timeout);
    http::async_write(client_->stream(), *response_sr_,
                      beast::bind_front_handler(&Exchange::on_write_response_body, shared_from_this()));
}

void Exchange::on_write_response_body(beast::error_code ec, std::size_t) {
    if (ec == http::error::need_buffer) ec = {};
    if (ec) return finish(false, false, "client gone");
    head_written_ = true;
    bytes_ += pending_;
    if (response_sr_->is_done())
        return finish(upstream_keep_alive_ && response_parser_->is_done(), client_keep_alive_);
    do_read_response_body();
}

void Exchange::start_tunnel() {
    state_ = State::Done;
    log("upgraded");
    beast::flat_buffer client_bytes = std::move(client_->buffer());
    ClientStream client = client_->release_stream();
    std::make_shared<Tunnel>(std::move(client), std::move(client_bytes), std::move(up_), ctx_, client_->release_slot())
        ->run();
    client_.reset();
}

// A watch may wait an hour between events; Go's server notices a client
// that hangs up meanwhile by reading in the background, and so does this,
// over either upstream protocol: a wait for readability on the client socket
// (nothing is consumed: bytes there are the client's next request). The
// reactor is edge-triggered, so a hang-up that came before the wait is looked
// for first.
void Exchange::watch_client() {
    if (watching_client_ || client_gone_) return;
    char byte;
    const ssize_t n = ::recv(client_->stream().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n > 0) return;  // a pipelined request: the client is there, and is read after this exchange
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        watching_client_ = true;
        client_->stream().socket().async_wait(
            net::socket_base::wait_read, beast::bind_front_handler(&Exchange::on_client_readable, shared_from_this()));
        return;
    }
    client_hung_up();
}

void Exchange::on_client_readable(beast::error_code ec) {
    if (ec == net::error::operation_aborted) return;  // stopped (the flag may belong to a newer wait)
    watching_client_ = false;
    if (state_ == State::Done || !client_) return;
    if (ec) return client_hung_up();
    watch_client();
}

// HTTP/1.1: the upstream connection is closed, and its pending read ends the
// exchange. HTTP/2: the stream is reset at once (the API server frees its
// watch). Still connecting: the flag ends it when the connection is there.
void Exchange::client_hung_up() {
    client_gone_ = true;
    if (up_) return up_->stream.close();
    if (h2_) finish_client_gone_later();
}

void Exchange::finish_client_gone_later() {
    net::post(client_->stream().get_executor(), [self = shared_from_this()] {
        if (self->state_ != State::Done) self->finish(false, false, "client gone");
    });
}

void Exchange::stop_watching_client() {
    // Also ends a write still pending, which only a failure leaves behind.
    beast::error_code ignored;
    if (watching_client_ && client_) client_->stream().socket().cancel(ignored);
    watching_client_ = false;
}

bool Exchange::retry_fresh(const beast::error_code& ec) {
    if (!reused_ || retried_ || request_body_bytes_ > 0 || client_gone_) return false;
    note_failure(ctx_, ec, "pooled connection (retrying on a new one)");
    retried_ = true;
    up_.reset();
    request_sr_.reset();
    response_parser_.reset();
    auto& body = client_->parser().get().body();
    body.data = nullptr;
    body.size = 0;
    body.more = true;
    do_connect();
    return true;
}

void Exchange::fail_response_body(const beast::error_code& ec) {
    // The head waits for the first body bytes: when nothing reached the
    // client yet it gets a 502/504 rather than a silent close.
    if (!head_written_) return fail_upstream(ec, "response body");
    note_failure(ctx_, ec, "upstream body");
    finish(false, false, "upstream aborted");
}

void Exchange::fail_upstream(const beast::error_code& ec, const char* what) {
    if (!client_) return;  // already ended
    state_ = State::Done;
    stop_watching_client();
    note_failure(ctx_, ec, what);
    release_h2();
    up_.reset();
    const bool timeout = ec == beast::error::timeout;
    std::string message = std::string("aks-proxy: no answer from the API server (") + what + ")";
    if (ec) message += ": " + ec.message();
    if (is_upstream_owner_error(ec)) message = "aks-proxy: " + upstream_owner_reason(ctx_.upstream, ec);
    client_->reply_and_close(status_response(timeout ? http::status::gateway_timeout : http::status::bad_gateway,
                                             timeout ? "Timeout" : "InternalError", message, 11, false),
                             what);
    client_.reset();
}

void Exchange::log(const char* note) {
    AccessRecord* record = client_->record();  // none with --quiet
    if (!record) return;
    record->status = status_;
    record->bytes = bytes_;
    record->note = note;
    record->duration = std::chrono::steady_clock::now() - started_;
    ctx_.log.write(*record);
}

void Exchange::finish(bool upstream_reusable, bool client_keep_alive, const char* note) {
    if (!client_) return;  // already ended
    state_ = State::Done;
    stop_watching_client();
    release_h2();
    log(note);
    if (upstream_reusable && up_) pool_.give_back(std::move(up_));
    up_.reset();
    client_->exchange_done(client_keep_alive && !ctx_.draining);
    client_.reset();
}

}  // namespace aks::proxy
