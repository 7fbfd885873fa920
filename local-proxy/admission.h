#pragma once
// Whether a request goes upstream, apart from the I/O so that it is
// table-tested and fuzzed (tests/fuzz/fuzz_proxy_request.cpp) exactly as the
// session runs it. Cheap checks first, each refusing with a metav1.Status:
//   head limits (request_head.h) and Beast's parse  → 400/414/431, closed
//   CONNECT, absolute-form, "OPTIONS *"             → 405/400
//   framing (header_rules.h framing_error)          → 400, closed
//   exactly one Host, accepted by --accept-hosts    → 400/403
//   Origin is our own                               → 403
//   Sec-Fetch-Site (fetch_metadata.h), but the launch URL → 403
//   /healthz                                        → 200, local
//   Headlamp mode: launch URL / session cookie      → 200/401 (launch_gate.h)
//   canonical path (request_target.h)               → 400
//   Headlamp mode: pages aks-proxy answers itself   → headlamp_pages.h
//   --reject-paths, --reject-methods, --accept-paths (RE2) → 403
//   a token is held                                 → 401
// Every 400 closes the connection: after it the proxy cannot trust where the
// next request starts (RFC 9112 §11.2). Other refusals keep a keep-alive
// connection only when the request had no body left unread.
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>

#include <memory>
#include <optional>
#include <string>

#include "local-proxy/engine_types.h"
#include "local-proxy/local_reply.h"
#include "local-proxy/request_head.h"

namespace aks::proxy {

struct Admission {
    std::optional<LocalResponse> reply;  // answered by the proxy; nullopt: forward
    const char* note = "";               // for the access log
    std::shared_ptr<const std::string> authorization;  // "Bearer ...", when forwarded
    std::string path;  // the canonical decoded path, when forwarded
};

// A head that HeadScanner refused (TooLarge, TooManyFields, RequestLineTooLong, Malformed).
Admission refuse_head(HeadState state, const char* problem, const HeadLimits& limits);
// A head Beast could not parse.
Admission refuse_unparsable(const boost::beast::error_code& ec);

// `body_done`: the parser has nothing more to read for this request.
Admission admit_request(const http::request<http::buffer_body>& req, bool body_done, const ProxyContext& ctx);

}  // namespace aks::proxy
