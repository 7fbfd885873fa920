#pragma once
// What aks-proxy answers itself in Headlamp mode, after the launch gate and
// before the request would go upstream (table-tested, no I/O). Headlamp's
// own sign-in pieces assume the browser holds the token; here aks-proxy
// does, so (kubernetes-sigs/headlamp v0.45.0):
// - POST /clusters/<c>/set-token and /auth/set-token (the token page's
//   "Authenticate" and the top bar's "Log out", frontend/src/lib/auth.ts
//   setToken/logout) never reach Headlamp: the pasted token would be stripped
//   anyway, and Log out cannot sign anyone out. The answer carries
//   `X-Reload: reload`, which Headlamp's fetch helpers obey by reloading the
//   page (frontend/src/lib/k8s/api/v2/fetch.ts backendFetch,
//   api/v1/clusterRequests.ts), and a short-lived notice cookie: the reload
//   lands on a page that explains what to run instead.
// - A page load of /c/<cluster>/token (where Headlamp's frontend sends the
//   user after a 401/403 from its auth test, components/App/RouteSwitcher.tsx)
//   gets aks-proxy's page instead of the paste-a-token box.
// - Without a token: page loads get a page naming `aks-token login ...` that
//   reloads itself until the token is there; Headlamp's own calls get the
//   401 Status with `X-Reload: reload`, so an open Headlamp turns into that
//   page instead of the paste-a-token loop.
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/verb.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "local-proxy/headlamp_mode.h"
#include "local-proxy/local_reply.h"

namespace aks::proxy {

// The cookie that carries a notice across the reload.
constexpr const char* kNoticeCookie = "aks-proxy-notice";

struct HeadlampRequest {
    http::verb method;
    std::string_view path;  // decoded, without the query
    const http::fields& fields;
    bool has_token;              // aks-proxy holds a usable token now
    std::string missing_token;   // BearerSource::missing_token_message()
    unsigned version;
    bool keep_alive;
};

// A top-level page load (Sec-Fetch-Mode: navigate; without Sec-Fetch-*, a
// GET/HEAD that accepts text/html), not fetch() or a WebSocket.
bool is_navigation(http::verb method, const http::fields& f);

// nullopt: the request goes on as usual.
std::optional<LocalResponse> headlamp_local_reply(const HeadlampMode& mode, const HeadlampRequest& r);

}  // namespace aks::proxy
