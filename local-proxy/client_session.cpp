#include "local-proxy/client_session.h"

#include "local-proxy/exchange.h"
#include "local-proxy/header_rules.h"
#include "local-proxy/headlamp_pages.h"
#include "local-proxy/launch_gate.h"
#include "local-proxy/multiplexer_relay.h"

namespace aks::proxy {
namespace {

std::string sv_string(beast::string_view s) { return std::string(s.data(), s.size()); }

std::optional<std::string> header(const http::fields& f, http::field name) {
    auto it = f.find(name);
    if (it == f.end()) return std::nullopt;
    return sv_string(it->value());
}

}  // namespace

ClientSession::ClientSession(ClientStream&& stream, UpstreamPool& pool, ProxyContext& ctx)
    : stream_(std::move(stream)), pool_(pool), ctx_(ctx) {}

void ClientSession::run() { do_wait(); }

// Waiting for the first byte of a request uses the (long) idle deadline; the
// head itself then has to arrive within header_timeout.
void ClientSession::do_wait() {
    if (ctx_.draining) return do_close();
    if (buffer_.size() > 0) return do_read_head();
    stream_.expires_after(ctx_.limits.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            beast::bind_front_handler(&ClientSession::on_wait, shared_from_this()));
}

void ClientSession::on_wait(beast::error_code ec, std::size_t bytes) {
    if (ec) return do_close();  // idle timeout or the client went away: both are normal
    buffer_.commit(bytes);
    do_read_head();
}

void ClientSession::do_read_head() {
    parser_.emplace();
    parser_->header_limit(ctx_.limits.header_limit);
    parser_->body_limit(kNoBodyLimit);
    started_ = std::chrono::steady_clock::now();
    stream_.expires_after(ctx_.limits.header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&ClientSession::on_read_head, shared_from_this()));
}

void ClientSession::on_read_head(beast::error_code ec, std::size_t) {
    record_ = AccessRecord{};
    if (ec == beast::error::timeout) {
        // Slowloris: a head that does not arrive in time gets no answer.
        if (ctx_.log.enabled()) {
            record_.method = "-";
            record_.path = "-";
            record_.note = "header timeout, closed";
            record_.duration = std::chrono::steady_clock::now() - started_;
            ctx_.log.write(record_);
        }
        return do_close();
    }
    if (ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
        ec == net::error::operation_aborted)
        return do_close();
    if (ec == http::error::header_limit)
        return do_reply(text_response(http::status::request_header_fields_too_large,
                                      "431 Request Header Fields Too Large\n", 11, false),
                        "header too large");
    if (ec)
        return do_reply(status_response(http::status::bad_request, "BadRequest",
                                        "aks-proxy: malformed HTTP request: " + ec.message(), 11, false),
                        "malformed");
    admit();
}

void ClientSession::admit() {
    auto& req = parser_->get();
    record_.method = sv_string(req.method_string());
    record_.path = sv_string(req.target());
    if (LaunchSession::is_launch_request(record_.path)) record_.path = kLaunchPath;  // the secret stays out of logs
    const unsigned version = req.version();
    // A refusal leaves any request body unread, so the connection cannot carry another request.
    const bool can_continue = parser_->is_done() && req.keep_alive();
    auto refuse = [&](http::status s, const char* reason, const std::string& message, const char* note) {
        do_reply(status_response(s, reason, "aks-proxy: " + message, version, can_continue), note);
    };

    if (auto bad = framing_error(req)) return refuse(http::status::bad_request, "BadRequest", *bad, "bad framing");
    const auto host = header(req, http::field::host);
    if (!host || req.count(http::field::host) > 1)
        return refuse(http::status::bad_request, "BadRequest", "exactly one Host header is required", "no host");
    const std::string target = sv_string(req.target());
    const auto path = decoded_path(target);
    if (!path) return refuse(http::status::bad_request, "BadRequest", "unsupported request target", "bad target");

    const FilterVerdict verdict = ctx_.filter.check(record_.method, *path, host_without_port(*host));
    if (verdict == FilterVerdict::RejectHost)
        return refuse(http::status::forbidden, "Forbidden",
                      "Host '" + host_without_port(*host) + "' is not accepted (see --accept-hosts)", "host refused");
    // Browsers send Origin on cross-site requests and WebSocket handshakes; a
    // page from another site must not drive the cluster through this proxy.
    if (!origin_allowed(header(req, http::field::origin), *host))
        return refuse(http::status::forbidden, "Forbidden", "cross-origin requests are refused", "origin refused");
    if ((req.method() == http::verb::get || req.method() == http::verb::head) && *path == "/healthz") {
        return do_reply(text_response(http::status::ok, "ok", version, can_continue), "local");
    }
    // Headlamp mode: only the browser that opened this run's launch URL.
    if (ctx_.launch) {
        if (auto local = launch_gate(*ctx_.launch, req.method(), target, req, version, can_continue))
            return do_reply(std::move(*local), local->result() == http::status::ok ? "launch" : "no session");
    }
    if (ctx_.headlamp) {
        const bool has_token = ctx_.tokens.authorization() != nullptr;
        const HeadlampRequest hr{req.method(), *path, req, has_token,
                                 has_token ? "" : "aks-proxy: " + ctx_.tokens.missing_token_message(), version,
                                 can_continue};
        if (auto local = headlamp_local_reply(*ctx_.headlamp, hr)) return do_reply(std::move(*local), "headlamp page");
    }
    if (verdict == FilterVerdict::RejectPath)
        return refuse(http::status::forbidden, "Forbidden",
                      "path '" + *path + "' is refused (see --accept-paths / --reject-paths)", "path refused");
    if (verdict == FilterVerdict::RejectMethod)
        return refuse(http::status::forbidden, "Forbidden",
                      "method " + record_.method + " is refused (see --reject-methods)", "method refused");

    std::shared_ptr<const std::string> authorization = ctx_.tokens.authorization();
    if (!authorization)
        return refuse(http::status::unauthorized, "Unauthorized", ctx_.tokens.missing_token_message(), "no token");

    // Headlamp's multiplexer: relayed message by message (multiplexer_relay.h).
    if (ctx_.headlamp && is_multiplexer_request(*ctx_.headlamp, *path, req) && buffer_.size() == 0)
        return std::make_shared<MultiplexerRelay>(release_stream(), parser_->release(), pool_, ctx_,
                                                  std::move(authorization), started_)
            ->run();
    std::make_shared<Exchange>(shared_from_this(), pool_, ctx_, std::move(authorization), started_)->run();
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

void ClientSession::do_reply(LocalResponse res, const char* note) {
    local_ = std::move(res);
    record_.status = local_.result_int();
    record_.bytes = local_.body().size();
    record_.note = note;
    record_.duration = std::chrono::steady_clock::now() - started_;
    ctx_.log.write(record_);
    const bool close = !local_.keep_alive();
    stream_.expires_after(ctx_.limits.write_timeout);
    http::async_write(stream_, local_,
                      beast::bind_front_handler(&ClientSession::on_reply, shared_from_this(), close));
}

void ClientSession::on_reply(bool close, beast::error_code ec, std::size_t) {
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
