#pragma once
// Browser sign-in: authorization code + PKCE S256 + state (+ nonce when
// openid is asked), redirect to a loopback listener (DESIGN.md "Identity").
// Needs no terminal: the URL goes to the browser, and to stderr when no
// browser could be started.
#include <cstdint>
#include <string>

#include "core/browser_launcher.h"
#include "core/clock.h"
#include "core/http_client.h"
#include "core/identity_endpoints.h"
#include "core/sign_in_status.h"
#include "core/token.h"

namespace aks {

constexpr std::int64_t kBrowserDefaultTimeout = 300;

struct AuthCodeParams {
    IdentityEndpoints endpoints;  // authorize + token
    std::string client_id;
    std::string scope;
    std::string login_hint;    // --login-hint
    std::string redirect_url;  // --redirect-url; empty: http://localhost:<ephemeral>
    std::int64_t timeout_seconds = 0;  // 0: kBrowserDefaultTimeout
    std::string prompt;        // sent when there is no login hint (Entra: select_account)
};

// The authorize URL (exposed for tests).
std::string authorize_url(const AuthCodeParams& p, const std::string& redirect_uri, const std::string& state,
                          const std::string& challenge, const std::string& nonce);

// Throws AuthError (provider error on the redirect, with AADSTS advice;
// timeout; nonce mismatch), UsageError (bad --redirect-url), TransportError.
// The URL and the wait go through `status` (plain lines, or on a terminal a
// status line counting down that ends in "Signed in as ...").
Token run_auth_code_flow(HttpClient& http, const AuthCodeParams& p, const BrowserOpener& open_browser,
                         SignInStatus& status, const Clock& clock);

}  // namespace aks
