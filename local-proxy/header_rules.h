#pragma once
// Header rewriting and request admission as pure functions, so every rule is
// table-tested (tests/unit/test_header_rules.cpp) apart from the I/O.
#include <boost/beast/http/fields.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace aks::proxy {

namespace http = boost::beast::http;

// Connection, Keep-Alive, Proxy-Connection, Proxy-Authenticate,
// Proxy-Authorization, TE, Trailer, Transfer-Encoding, Upgrade (any case).
bool is_hop_by_hop(std::string_view name);

// Removes the hop-by-hop headers and every header the Connection header names,
// except the ones Connection may never name (connection_may_name): requests
// that try are refused before this, and a response's framing stays intact.
// With `keep_upgrade` (an upgrade request or a 101 answer) Upgrade survives and
// Connection becomes "Upgrade", as the next hop needs them to switch protocols.
void strip_hop_by_hop(http::fields& f, bool keep_upgrade);

// True when the request asks to switch protocols (Connection: upgrade + Upgrade).
bool is_upgrade_request(const http::fields& f);

// The request as it goes upstream: hop-by-hop headers gone, Host set to the
// upstream's, the client's Authorization replaced by `authorization`
// ("Bearer ..."), Expect removed (the proxy answers 100-continue itself).
void rewrite_request_headers(http::fields& f, const std::string& upstream_host,
                             const std::string& authorization, bool upgrade);

// False for the names a Connection header must not name: Content-Length and
// Transfer-Encoding (stripping them would change the framing the next hop
// sees), Host and Authorization (the proxy sets them).
bool connection_may_name(std::string_view name);

// Framing the proxy refuses (request smuggling shapes): both Content-Length and
// Transfer-Encoding, differing or malformed Content-Length values, a
// Transfer-Encoding other than a single "chunked" or in an HTTP/1.0 request
// (RFC 9112 §6.1), a Connection header naming a field connection_may_name
// refuses. nullopt when acceptable; the connection is closed after any of these.
std::optional<std::string> framing_error(const http::fields& f, unsigned version = 11);

// Optional white space (spaces, tabs) trimmed from both ends of a header value.
std::string_view trim_ows(std::string_view s);

// Host header value without its port: "localhost:8001" → "localhost",
// "[::1]:8001" → "[::1]", "127.0.0.1" → "127.0.0.1".
std::string host_without_port(std::string_view host);

// An Origin header, when present, must be the proxy's own origin as the
// client addresses it: http://<Host header> (case-insensitive). Browsers send
// Origin on cross-site requests and on every WebSocket handshake; tools
// (kubectl, curl, client libraries) send none.
bool origin_allowed(const std::optional<std::string>& origin, std::string_view host_header);

}  // namespace aks::proxy
