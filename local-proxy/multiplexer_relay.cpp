#include "local-proxy/multiplexer_relay.h"

#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "local-proxy/header_rules.h"
#include "local-proxy/headlamp_request.h"
#include "local-proxy/local_reply.h"
#include "local-proxy/multiplexer_filter.h"
#include "local-proxy/request_target.h"

namespace aks::proxy {

// Beast's WebSocket closes its next layer through teardown() and
// beast_close_socket(), found by ADL: for the upstream connection, closing it
// is both.
void beast_close_socket(UpstreamStream& s) { s.close(); }

void teardown(beast::role_type, UpstreamStream& s, beast::error_code& ec) {
    s.close();
    ec = {};
}

template <class TeardownHandler>
void async_teardown(beast::role_type, UpstreamStream& s, TeardownHandler&& handler) {
    s.close();
    net::post(s.get_executor(), beast::bind_front_handler(std::forward<TeardownHandler>(handler), beast::error_code{}));
}

namespace {

using UpstreamWs = websocket::stream<UpstreamStream&>;

// Queued frames past which the reading side waits (backpressure).
constexpr std::size_t kPauseAt = 64;
constexpr std::size_t kResumeAt = 16;
// Both Headlamp sockets forward for this long after a switch.
constexpr auto kOverlap = std::chrono::seconds(2);
// A failed switch is tried again after this long.
constexpr auto kRetry = std::chrono::seconds(10);

websocket::stream_base::timeout ws_timeouts(std::chrono::milliseconds handshake) {
    websocket::stream_base::timeout t{};
    t.handshake_timeout = handshake;
    // Pings keep a quiet socket alive and find a vanished peer within a minute.
    t.idle_timeout = std::chrono::seconds(60);
    t.keep_alive_pings = true;
    return t;
}

// Headers the WebSocket handshake writes itself.
bool handshake_owned(beast::string_view name) {
    for (const char* h : {"host", "upgrade", "connection", "sec-websocket-key", "sec-websocket-version",
                          "sec-websocket-extensions", "content-length", "transfer-encoding"})
        if (beast::iequals(name, h)) return true;
    return false;
}

std::string_view bare_token(const std::string& authorization) {
    return authorization.rfind("Bearer ", 0) == 0 ? std::string_view(authorization).substr(7) : std::string_view();
}

}  // namespace

struct MultiplexerRelay::Leg {
    explicit Leg(net::any_io_executor ex, std::shared_ptr<const std::string> auth)
        : authorization(std::move(auth)), overlap(ex) {}
    std::shared_ptr<const std::string> authorization;
    std::unique_ptr<UpstreamConn> conn;
    std::optional<UpstreamWs> ws;  // refers to conn->stream: declared after it
    websocket::response_type response;
    beast::flat_buffer in;
    std::deque<Frame> out;
    bool writing = false;
    bool paused = false;  // a read waits for the browser to catch up
    bool retired = false;
    bool closed = false;
    net::steady_timer overlap;
};

bool is_multiplexer_request(const HeadlampMode& mode, std::string_view path, const http::fields& f) {
    if (path != mode.base + "wsMultiplexer") return false;
    auto up = f.find(http::field::upgrade);
    return up != f.end() && beast::iequals(up->value(), "websocket") && is_upgrade_request(f);
}

MultiplexerRelay::MultiplexerRelay(ClientStream&& client, http::request<http::buffer_body>&& request,
                                   UpstreamPool& pool, ProxyContext& ctx,
                                   std::shared_ptr<const std::string> authorization,
                                   std::chrono::steady_clock::time_point started, ConnectionSlot slot)
    : browser_(std::move(client)),
      slot_(std::move(slot)),
      request_(std::move(request)),
      path_(canonical_path(std::string(request_.target())).path),
      pool_(pool),
      ctx_(ctx),
      first_authorization_(std::move(authorization)),
      rotation_timer_(browser_.get_executor()),
      started_(started) {}

void MultiplexerRelay::run() { open_leg(std::move(first_authorization_), &MultiplexerRelay::on_first_leg); }

// Connects a new WebSocket to Headlamp with `authorization` (as header and
// as Headlamp's token cookie), then calls `then`.
void MultiplexerRelay::open_leg(std::shared_ptr<const std::string> authorization, Opened then) {
    auto leg = std::make_shared<Leg>(browser_.get_executor(), std::move(authorization));
    if (!current_) current_ = leg;  // the first one
    pool_.connect([self = shared_from_this(), leg, then](beast::error_code ec, std::unique_ptr<UpstreamConn> conn) {
        self->on_leg_connected(leg, then, ec, std::move(conn));
    });
}

void MultiplexerRelay::on_leg_connected(const LegPtr& leg, Opened then, beast::error_code ec,
                                        std::unique_ptr<UpstreamConn> conn) {
    if (ec) return (this->*then)(leg, ec);
    if (closing_) return;
    leg->conn = std::move(conn);
    leg->conn->stream.expires_never();  // the WebSocket keeps its own deadlines
    leg->ws.emplace(leg->conn->stream);
    leg->ws->set_option(ws_timeouts(ctx_.limits.upstream_timeout));
    leg->ws->read_message_max(16 * 1024 * 1024);
    // The browser's handshake headers as any request of this session would
    // carry them: Host, Authorization and the token cookie ours, identity
    // claims gone (headlamp_request.h).
    http::fields headers = request_.base();
    rewrite_request_headers(headers, ctx_.upstream.host_header, *leg->authorization, true);
    rewrite_headlamp_request(headers, path_, *ctx_.headlamp, bare_token(*leg->authorization));
    leg->ws->set_option(websocket::stream_base::decorator([headers](websocket::request_type& r) {
        for (const auto& h : headers) {
            if (handshake_owned(h.name_string())) continue;
            r.erase(h.name_string());
        }
        for (const auto& h : headers)
            if (!handshake_owned(h.name_string())) r.insert(h.name_string(), h.value());
    }));
    const std::string target = ctx_.upstream.path_prefix + std::string(request_.target());
    leg->ws->async_handshake(leg->response, ctx_.upstream.host_header, target,
                             [self = shared_from_this(), leg, then](beast::error_code e) {
                                 (self.get()->*then)(leg, e);
                             });
}

void MultiplexerRelay::on_first_leg(const LegPtr& leg, beast::error_code ec) {
    if (ec) return refuse(leg, ec);
    auto proto = leg->response.find(http::field::sec_websocket_protocol);
    if (proto != leg->response.end()) subprotocol_ = std::string(proto->value());
    beast::get_lowest_layer(browser_).expires_never();
    browser_.set_option(ws_timeouts(ctx_.limits.header_timeout));
    browser_.read_message_max(16 * 1024 * 1024);
    browser_.set_option(websocket::stream_base::decorator([sub = subprotocol_](websocket::response_type& r) {
        if (!sub.empty()) r.set(http::field::sec_websocket_protocol, sub);
    }));
    browser_.async_accept(request_, [self = shared_from_this(), leg](beast::error_code e) { self->on_accept(leg, e); });
}

// Headlamp did not take the WebSocket: its answer (or a 502) goes to the
// browser as the handshake's answer, as a tunnel would have passed it.
void MultiplexerRelay::refuse(const LegPtr& leg, beast::error_code ec) {
    note_failure(ctx_, ec, "multiplexer handshake");
    auto res = std::make_shared<LocalResponse>();
    if (leg->response.result_int() >= 300) {
        res->result(leg->response.result());
        res->version(11);
        auto type = leg->response.find(http::field::content_type);
        if (type != leg->response.end()) res->set(http::field::content_type, type->value());
        res->body() = leg->response.body();
    } else {
        *res = status_response(http::status::bad_gateway, "InternalError",
                               is_upstream_owner_error(ec)
                                   ? "aks-proxy: " + upstream_owner_reason(ctx_.upstream, ec)
                                   : "aks-proxy: no WebSocket from Headlamp's multiplexer: " + ec.message(),
                               11, false);
    }
    res->keep_alive(false);
    res->prepare_payload();
    log(res->result_int(), "multiplexer refused upstream");
    leg->closed = true;
    auto& stream = beast::get_lowest_layer(browser_);
    stream.expires_after(ctx_.limits.write_timeout);
    http::async_write(stream, *res, [self = shared_from_this(), res](beast::error_code, std::size_t) {
        beast::error_code ignored;  // the browser may already be gone
        beast::get_lowest_layer(self->browser_).socket().shutdown(net::socket_base::shutdown_both, ignored);
        beast::get_lowest_layer(self->browser_).close();
    });
}

void MultiplexerRelay::on_accept(const LegPtr& leg, beast::error_code ec) {
    if (ec) {
        note_failure(ctx_, ec, "multiplexer accept");
        return close_leg(leg);
    }
    log(101, "upgraded, multiplexer relay");
    do_read_browser();
    do_read_leg(leg);
    arm_rotation_timer();
}

// Browser → Headlamp. REQUEST and CLOSE messages are noted for a switch.
void MultiplexerRelay::do_read_browser() {
    if (closing_) return;
    browser_.async_read(browser_in_, beast::bind_front_handler(&MultiplexerRelay::on_read_browser, shared_from_this()));
}

void MultiplexerRelay::on_read_browser(beast::error_code ec, std::size_t) {
    if (ec) return shutdown("browser closed", websocket::close_code::normal);
    Frame f{beast::buffers_to_string(browser_in_.data()), browser_.got_text()};
    browser_in_.consume(browser_in_.size());
    // What Headlamp would open at the API server passes the filters first
    // (multiplexer_filter.h); a refused message is dropped, the rest go on.
    if (multiplexer_refusal(f.data, ctx_.filter, ctx_.headlamp ? ctx_.headlamp->cluster : std::string())) {
        log(403, "multiplexer message refused (another cluster, or see --reject-paths)");
        return do_read_browser();
    }
    if (f.text) subscriptions_.observe(f.data);
    send_leg(current_, std::move(f));
    if (current_->out.size() >= kPauseAt) {
        browser_paused_ = true;
        return;
    }
    do_read_browser();
}

void MultiplexerRelay::send_leg(const LegPtr& leg, Frame frame) {
    if (leg->closed) return;
    leg->out.push_back(std::move(frame));
    if (!leg->writing) do_write_leg(leg);
}

void MultiplexerRelay::do_write_leg(const LegPtr& leg) {
    leg->writing = true;
    leg->ws->text(leg->out.front().text);
    leg->ws->async_write(net::buffer(leg->out.front().data),
                         [self = shared_from_this(), leg](beast::error_code ec, std::size_t n) {
                             self->on_write_leg(leg, ec, n);
                         });
}

void MultiplexerRelay::on_write_leg(const LegPtr& leg, beast::error_code ec, std::size_t) {
    leg->writing = false;
    if (ec || leg->closed) {
        if (leg == current_ && !closing_) return shutdown("Headlamp write failed", websocket::close_code::going_away);
        return close_leg(leg);
    }
    leg->out.pop_front();
    if (!leg->out.empty()) do_write_leg(leg);
    if (leg == current_ && browser_paused_ && leg->out.size() <= kResumeAt) {
        browser_paused_ = false;
        do_read_browser();
    }
}

// Headlamp → browser, from the current socket and, for a moment after a
// switch, from the one being retired.
void MultiplexerRelay::do_read_leg(const LegPtr& leg) {
    if (closing_ || leg->closed) return;
    leg->ws->async_read(leg->in, [self = shared_from_this(), leg](beast::error_code ec, std::size_t n) {
        self->on_read_leg(leg, ec, n);
    });
}

void MultiplexerRelay::on_read_leg(const LegPtr& leg, beast::error_code ec, std::size_t) {
    if (ec) {
        if (leg == current_ && !closing_) {
            note_failure(ctx_, ec, "multiplexer upstream");
            return shutdown("Headlamp closed the multiplexer", websocket::close_code::going_away);
        }
        return close_leg(leg);
    }
    Frame f{beast::buffers_to_string(leg->in.data()), leg->ws->got_text()};
    leg->in.consume(leg->in.size());
    if (leg->closed) return;
    send_browser(std::move(f));
    if (to_browser_.size() >= kPauseAt) {
        leg->paused = true;
        return;
    }
    do_read_leg(leg);
}

void MultiplexerRelay::send_browser(Frame frame) {
    to_browser_.push_back(std::move(frame));
    if (!writing_browser_) do_write_browser();
}

void MultiplexerRelay::do_write_browser() {
    if (closing_) return;
    writing_browser_ = true;
    browser_.text(to_browser_.front().text);
    browser_.async_write(net::buffer(to_browser_.front().data),
                         beast::bind_front_handler(&MultiplexerRelay::on_write_browser, shared_from_this()));
}

void MultiplexerRelay::on_write_browser(beast::error_code ec, std::size_t) {
    writing_browser_ = false;
    if (ec) return shutdown("browser gone", websocket::close_code::going_away);
    to_browser_.pop_front();
    if (!to_browser_.empty()) do_write_browser();
    if (to_browser_.size() <= kResumeAt) {
        for (const LegPtr& leg : {current_, next_}) {
            if (leg && leg->paused) {
                leg->paused = false;
                do_read_leg(leg);
            }
        }
    }
}

// The token check: once a second, compare the proxy's token with the one the
// current Headlamp socket was opened with.
void MultiplexerRelay::arm_rotation_timer() {
    rotation_timer_.expires_after(std::chrono::seconds(1));
    rotation_timer_.async_wait(beast::bind_front_handler(&MultiplexerRelay::on_rotation_timer, shared_from_this()));
}

void MultiplexerRelay::on_rotation_timer(beast::error_code ec) {
    if (ec || closing_) return;
    std::shared_ptr<const std::string> now = ctx_.tokens.authorization();
    if (now && !next_ && std::chrono::steady_clock::now() >= next_try_ && *now != *current_->authorization) {
        next_ = std::make_shared<Leg>(browser_.get_executor(), now);  // marks the switch as started
        open_leg(now, &MultiplexerRelay::on_switch_leg);
    }
    arm_rotation_timer();
}

void MultiplexerRelay::on_switch_leg(const LegPtr& leg, beast::error_code ec) {
    next_.reset();
    if (closing_) return close_leg(leg);
    if (ec) {
        note_failure(ctx_, ec, "multiplexer re-open");
        log(502, "multiplexer re-open with the refreshed token failed; retrying");
        next_try_ = std::chrono::steady_clock::now() + kRetry;
        return close_leg(leg);
    }
    LegPtr old = std::move(current_);
    current_ = leg;
    for (std::string& request : subscriptions_.replay()) send_leg(current_, Frame{std::move(request), true});
    do_read_leg(current_);
    log(101, "multiplexer re-opened with the refreshed token");
    retire(old);
}

// The old socket forwards for kOverlap more, then closes.
void MultiplexerRelay::retire(const LegPtr& leg) {
    leg->retired = true;
    leg->overlap.expires_after(kOverlap);
    leg->overlap.async_wait([self = shared_from_this(), leg](beast::error_code) { self->close_leg(leg); });
}

void MultiplexerRelay::close_leg(const LegPtr& leg) {
    if (!leg || leg->closed) return;
    leg->closed = true;
    leg->overlap.cancel();
    if (!leg->ws) return;
    if (leg->writing) {
        leg->conn->stream.close();  // one write at a time: no close frame behind it
        return;
    }
    leg->ws->async_close(websocket::close_code::normal, [leg](beast::error_code) {});
}

void MultiplexerRelay::shutdown(const char* why, websocket::close_code code) {
    if (closing_) return;
    closing_ = true;
    rotation_timer_.cancel();
    close_leg(current_);
    close_leg(next_);
    (void)why;
    if (writing_browser_ || !browser_.is_open()) {
        beast::get_lowest_layer(browser_).close();
        return;
    }
    browser_.async_close(code, [self = shared_from_this()](beast::error_code) {});
}

void MultiplexerRelay::log(int status, const char* note) {
    AccessRecord r;
    r.method = std::string(request_.method_string());
    r.path = std::string(request_.target());
    r.status = status;
    r.note = note;
    r.duration = std::chrono::steady_clock::now() - started_;
    ctx_.log.write(r);
}

}  // namespace aks::proxy
