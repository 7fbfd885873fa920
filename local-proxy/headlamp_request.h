#pragma once
// Headlamp mode's rules for a request going upstream, as a pure function
// (table-tested), applied after rewrite_request_headers. What Headlamp
// trusts is read from its source (kubernetes-sigs/headlamp v0.45.0):
// - Its token cookies (headlamp_cookies.h): stale ones removed, ours added.
// - Identity headers it believes with --proxy-auth (backend/pkg/config/
//   config.go addProxyAuthFlags defaults; backend/cmd/headlamp.go
//   clusterRequestHandler, backend/pkg/auth/auth.go tryProxyAuth):
//   X-Forwarded-Id-Token beats cookie and header, X-Forwarded-User /
//   -Group / -Email make /me answer whatever they claim. Removed.
// - `base64url.bearer.authorization.k8s.io.<token>` WebSocket subprotocols,
//   which become Authorization when there is none (processTokenProtocol):
//   removed from Sec-WebSocket-Protocol.
// - KUBECONFIG (with X-HEADLAMP-USER-ID): a browser-supplied kubeconfig for
//   the cluster name (backend/cmd/stateless.go, with dynamic clusters on)
//   would send our token to that kubeconfig's server. Removed on requests for
//   the cluster we serve. The token (Authorization and cookie) goes only to
//   /clusters/<ours>/... and /wsMultiplexer: another cluster name (the
//   user's own dynamic clusters), /drain-node (cluster named in the body),
//   /externalproxy and the rest would have Headlamp pass it on elsewhere.
// - Headlamp forwards Cookie to the API server, whose services/pods/nodes
//   proxy hands it to the workload: no token cookie on those paths.
#include <boost/beast/http/fields.hpp>

#include <optional>
#include <string_view>

#include "local-proxy/headlamp_mode.h"

namespace aks::proxy {

namespace http = boost::beast::http;

// `path` is the request's decoded path (no query); `token` is the bare token
// ("" when none). Cookie headers are replaced by one.
void rewrite_headlamp_request(http::fields& f, std::string_view path, const HeadlampMode& mode, std::string_view token);

// The path Headlamp sends to the API server for `path` (decoded, no query):
// what follows <base>clusters/<name> (clusterRequestHandler strips that
// prefix), or nothing when `path` is not under it. The filters check it too.
std::optional<std::string_view> headlamp_api_path(std::string_view path, const HeadlampMode& mode);

// The header names removed as identity claims (for the README and tests).
bool is_headlamp_identity_header(std::string_view name);

}  // namespace aks::proxy
