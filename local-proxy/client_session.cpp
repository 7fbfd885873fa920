#include "local-proxy/client_session.h"

#include "local-proxy/admission.h"
#include "local-proxy/exchange.h"
#include "local-proxy/multiplexer_relay.h"

namespace aks::proxy {
namespace {

// Beast's chunk-extension parser lets a quoted string hold a bare CR or LF;
// nothing legitimate sends one (RFC 9112 §7.1.1: qdtext excludes them) and a
// peer parser may take it for the end of the line, so the body is refused.
// Beast keeps a reference to the callback: one object for every parser.
struct ChunkExtensionCheck {
    void operator()(std::uint64_t, beast::string_view extensions, beast::error_code& ec) const {
        if (extensions.find_first_of("\r\n") != beast::string_view::npos) ec = http::error::bad_chunk_extension;
    }
};
ChunkExtensionCheck refuse_line_ends_in_chunk_extensions;

}  // namespace

ClientSession::ClientSession(ClientStream&& stream, ConnectionSlot slot, UpstreamPool& pool, ProxyContext& ctx)
    : stream_(std::move(stream)),
      slot_(std::move(slot)),
      buffer_(ctx.limits.client_buffer),
      pool_(pool),
      ctx_(ctx) {}

void ClientSession::run() { do_wait(); }

// Waiting for the first byte of a request uses the (long) idle deadline; the
// head itself then has to arrive within header_timeout.
void ClientSession::do_wait() {
    if (ctx_.draining) return do_close();
    if (buffer_.size() > 0) return start_head();
    stream_.expires_after(ctx_.limits.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            beast::bind_front_handler(&ClientSession::on_wait, shared_from_this()));
}

void ClientSession::on_wait(beast::error_code ec, std::size_t bytes) {
    if (ec) return do_close();  // idle timeout or the client went away: both are normal
    buffer_.commit(bytes);
    start_head();
}

void ClientSession::start_head() {
    record_.reset();
    scanner_.emplace(ctx_.limits.head);
    started_ = std::chrono::steady_clock::now();
    stream_.expires_after(ctx_.limits.header_timeout);
    continue_head();
}

// The head is complete only when HeadScanner has seen its blank line within
// the limits, however many reads that took; Beast then parses it in one go.
void ClientSession::continue_head() {
    const auto data = buffer_.data();
    const std::string_view bytes(static_cast<const char*>(data.data()), data.size());
    const HeadState state = scanner_->scan(bytes);
    if (state == HeadState::Incomplete) {
        const std::size_t room = std::min<std::size_t>(4096, buffer_.max_size() - buffer_.size());
        if (room == 0) return refuse_head_bytes(refuse_head(HeadState::TooLarge, "", ctx_.limits.head));
        return stream_.async_read_some(buffer_.prepare(room),
                                       beast::bind_front_handler(&ClientSession::on_head_bytes, shared_from_this()));
    }
    if (state != HeadState::Complete) return refuse_head_bytes(refuse_head(state, scanner_->problem(), ctx_.limits.head));
    parser_ = std::make_unique<RequestParser>();
    parser_->header_limit(static_cast<std::uint32_t>(scanner_->size() + 1));
    parser_->body_limit(kNoBodyLimit);
    parser_->on_chunk_header(refuse_line_ends_in_chunk_extensions);
    beast::error_code ec;
    const std::size_t used = parser_->put(net::buffer(data.data(), scanner_->size()), ec);
    if (!ec && (used != scanner_->size() || !parser_->is_header_done())) ec = http::error::partial_message;
    if (ec) return refuse_head_bytes(refuse_unparsable(ec));
    buffer_.consume(used);
    admit();
}

// No request line to name: the access record says "-" for method and path.
void ClientSession::refuse_head_bytes(Admission refusal) {
    note_request("-", "-");
    finish_admission(std::move(refusal));
}

void ClientSession::on_head_bytes(beast::error_code ec, std::size_t bytes) {
    if (ec == beast::error::timeout) {
        // Slowloris: a head that does not arrive in time gets no answer.
        note_request("-", "-");
        log_now("header timeout, closed");
        return do_close();
    }
    if (ec) return do_close();  // the client went away mid-head
    buffer_.commit(bytes);
    continue_head();
}

void ClientSession::admit() {
    auto& req = parser_->get();
    const std::string_view target(req.target().data(), req.target().size());
    // The launch secret stays out of logs.
    note_request(std::string_view(req.method_string().data(), req.method_string().size()),
                 LaunchSession::is_launch_request(target) ? std::string_view(kLaunchPath) : target);
    finish_admission(admit_request(req, parser_->is_done(), ctx_));
}

void ClientSession::finish_admission(Admission a) {
    if (a.reply) return do_reply(std::move(*a.reply), a.note);
    // Headlamp's multiplexer: relayed message by message (multiplexer_relay.h).
    if (ctx_.headlamp && is_multiplexer_request(*ctx_.headlamp, a.path, parser_->get()) && buffer_.size() == 0)
        return std::make_shared<MultiplexerRelay>(release_stream(), parser_->release(), pool_, ctx_,
                                                  std::move(a.authorization), started_, release_slot())
            ->run();
    std::make_shared<Exchange>(shared_from_this(), pool_, ctx_, std::move(a.authorization), started_)->run();
}

void ClientSession::exchange_done(bool keep_alive) {
    parser_.reset();
    if (buffer_.size() == 0) buffer_.shrink_to_fit();  // idle keep-alive connections stay small
    if (!keep_alive) return do_close();
    do_wait();
}

void ClientSession::reply_and_close(LocalResponse res, const char* note) {
    res.keep_alive(false);
    do_reply(std::move(res), note);
}

void ClientSession::note_request(std::string_view method, std::string_view path) {
    if (!ctx_.log.enabled()) return;
    record_ = std::make_unique<AccessRecord>();
    record_->method = method;
    record_->path = path;
}

void ClientSession::log_now(const char* note) {
    if (!record_) return;
    record_->note = note;
    record_->duration = std::chrono::steady_clock::now() - started_;
    ctx_.log.write(*record_);
    record_.reset();
}

void ClientSession::do_reply(LocalResponse res, const char* note) {
    local_ = std::make_unique<LocalResponse>(std::move(res));
    if (record_) {
        record_->status = local_->result_int();
        record_->bytes = local_->body().size();
    }
    log_now(note);
    const bool close = !local_->keep_alive();
    stream_.expires_after(ctx_.limits.write_timeout);
    http::async_write(stream_, *local_,
                      beast::bind_front_handler(&ClientSession::on_reply, shared_from_this(), close));
}

void ClientSession::on_reply(bool close, beast::error_code ec, std::size_t) {
    local_.reset();
    if (ec || close) return do_close();
    exchange_done(true);
}

// Lingering close: send FIN, then drain what the client still sends (a refused
// body) for a moment, so that closing does not reset the connection before the
// client has read the answer.
void ClientSession::do_close() {
    beast::error_code ignored;  // the peer may already be gone
    stream_.socket().shutdown(net::socket_base::shutdown_send, ignored);
    lingered_ = 0;
    do_linger();
}

void ClientSession::do_linger() {
    buffer_.clear();
    stream_.expires_after(std::chrono::seconds(2));
    stream_.async_read_some(buffer_.prepare(4096),
                            beast::bind_front_handler(&ClientSession::on_linger, shared_from_this()));
}

void ClientSession::on_linger(beast::error_code ec, std::size_t bytes) {
    lingered_ += bytes;
    if (ec || lingered_ > 1024 * 1024) return stream_.close();
    do_linger();
}

}  // namespace aks::proxy
