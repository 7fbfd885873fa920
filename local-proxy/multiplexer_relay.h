#pragma once
// Headlamp's /wsMultiplexer through aks-proxy, message by message, so that
// the token Headlamp watches with never goes stale.
//
// Headlamp's multiplexer reads the token once, from the cookie of the
// WebSocket handshake, and uses it for every watch the page opens over that
// socket for as long as it lives (kubernetes-sigs/headlamp v0.45.0,
// backend/cmd/multiplexer.go processClientMessage). The frontend opens the
// socket once and opens a new one only when the page subscribes again after
// a close (frontend/src/lib/k8s/api/v2/multiplexer.ts connect,
// handleWebSocketClose, resubscribeAll): a byte tunnel would leave an open
// page with the token of its first handshake, and closing the socket would
// leave its watches silent until the user navigates.
//
// So the relay ends the browser's WebSocket itself and opens its own to
// Headlamp with the current token cookie. When the proxy's token changes (it
// is refreshed well before it expires) the relay opens a second WebSocket
// with the fresh cookie, re-sends the page's open subscriptions on it
// (multiplexer_subscriptions.h), forwards from both for a short overlap (the
// frontend drops events it already has by resourceVersion) and then closes
// the first. The browser's socket stays open throughout.
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "local-proxy/engine_types.h"
#include "local-proxy/headlamp_mode.h"
#include "local-proxy/multiplexer_subscriptions.h"
#include "local-proxy/upstream_pool.h"

namespace aks::proxy {

namespace websocket = boost::beast::websocket;

// A WebSocket upgrade of Headlamp's multiplexer path (<base>wsMultiplexer).
bool is_multiplexer_request(const HeadlampMode& mode, std::string_view path, const http::fields& f);

class MultiplexerRelay : public std::enable_shared_from_this<MultiplexerRelay> {
public:
    // `slot` keeps the browser's connection counted (--max-connections) while the relay holds it.
    MultiplexerRelay(ClientStream&& client, http::request<http::buffer_body>&& request, UpstreamPool& pool,
                     ProxyContext& ctx, std::shared_ptr<const std::string> authorization,
                     std::chrono::steady_clock::time_point started, ConnectionSlot slot = {});
    void run();

private:
    struct Frame {
        std::string data;
        bool text = true;
    };
    struct Leg;  // one WebSocket to Headlamp
    using LegPtr = std::shared_ptr<Leg>;
    using Opened = void (MultiplexerRelay::*)(const LegPtr&, beast::error_code);

    void open_leg(std::shared_ptr<const std::string> authorization, Opened then);
    void on_leg_connected(const LegPtr& leg, Opened then, beast::error_code ec, std::unique_ptr<UpstreamConn> conn);
    void on_first_leg(const LegPtr& leg, beast::error_code ec);
    void refuse(const LegPtr& leg, beast::error_code ec);
    void on_accept(const LegPtr& leg, beast::error_code ec);

    void do_read_browser();
    void on_read_browser(beast::error_code ec, std::size_t bytes);
    void send_browser(Frame frame);
    void do_write_browser();
    void on_write_browser(beast::error_code ec, std::size_t bytes);

    void do_read_leg(const LegPtr& leg);
    void on_read_leg(const LegPtr& leg, beast::error_code ec, std::size_t bytes);
    void send_leg(const LegPtr& leg, Frame frame);
    void do_write_leg(const LegPtr& leg);
    void on_write_leg(const LegPtr& leg, beast::error_code ec, std::size_t bytes);

    void arm_rotation_timer();
    void on_rotation_timer(beast::error_code ec);
    void on_switch_leg(const LegPtr& leg, beast::error_code ec);
    void retire(const LegPtr& leg);
    void close_leg(const LegPtr& leg);
    void shutdown(const char* why, websocket::close_code code);
    void log(int status, const char* note);

    websocket::stream<ClientStream> browser_;
    ConnectionSlot slot_;
    http::request<http::buffer_body> request_;  // the browser's handshake
    std::string path_;                           // its decoded path
    UpstreamPool& pool_;
    ProxyContext& ctx_;
    std::shared_ptr<const std::string> first_authorization_;  // until the first socket is opened
    LegPtr current_, next_;
    beast::flat_buffer browser_in_;
    std::deque<Frame> to_browser_;
    bool writing_browser_ = false;
    bool browser_paused_ = false;
    bool closing_ = false;
    MultiplexerSubscriptions subscriptions_;
    std::string subprotocol_;  // what Headlamp chose, answered to the browser
    net::steady_timer rotation_timer_;
    std::chrono::steady_clock::time_point next_try_{};
    std::chrono::steady_clock::time_point started_;
};

}  // namespace aks::proxy
