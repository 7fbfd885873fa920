#pragma once
// Turning a taken-over connection into a SPDY/3.1 session, either way
// kubectl asks for one: a plain "Upgrade: SPDY/3.1" answered with 101 and
// the chosen X-Stream-Protocol-Version, or a WebSocket whose subprotocol
// names SPDY tunneling ("SPDY/3.1+portforward.k8s.io").
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tests/fakes/fake-apiserver/reply.h"
#include "tests/fakes/fake-apiserver/spdy_session.h"

namespace aks::fake_apiserver {

using SpdyHandlerFactory = std::function<std::unique_ptr<SpdySession::Handler>(SpdySession&)>;

// Connection: Upgrade and Upgrade: SPDY/3.1.
bool is_spdy_upgrade(const Request& request);
// Every X-Stream-Protocol-Version value (repeated and comma-separated), in order.
std::vector<std::string> offered_stream_protocols(const Request& request);
// Every Sec-WebSocket-Protocol value, in order.
std::vector<std::string> offered_websocket_protocols(const Request& request);

void start_spdy(Stream&& stream, beast::flat_buffer&& already_read, const std::string& protocol,
                std::string label, SpdyHandlerFactory make_handler);
void start_spdy_over_websocket(Stream&& stream, const Request& request, const std::string& subprotocol,
                               std::string label, SpdyHandlerFactory make_handler);

}  // namespace aks::fake_apiserver
