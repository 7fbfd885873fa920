#pragma once
// The use case every tool shares: give me a usable token for these settings.
// Cache hit → return (no lock). Otherwise take the key's lock — or, when
// another process holds it and the cached token still works, return that
// token at once — re-read (someone else may have just logged in), refresh
// silently if a refresh token exists, else run the configured sign-in when a
// person can answer. A still-valid token is returned when refreshing fails.
// Every wait (the lock, the identity provider) is bounded by --timeout.
#include <ostream>
#include <string>

#include "core/browser_launcher.h"
#include "core/clock.h"
#include "core/http_client.h"
#include "core/login_settings.h"
#include "core/process_runner.h"
#include "core/sign_in_status.h"
#include "core/token.h"
#include "core/token_cache.h"

namespace aks {

// --timeout's default, as in Azure/kubelogin (pkg/internal/token/options.go).
constexpr std::int64_t kDefaultTimeoutSeconds = 60;
// A refresh of a token that still works gets at most this long before that
// token is used: a hanging identity provider must not stall every kubectl.
constexpr std::int64_t kRefreshWithFallbackSeconds = 10;

struct TokenRequest {
    bool interactive_allowed = false;  // a person can answer a prompt
    bool force_login = false;          // `aks-token login`: ignore cached token
    bool must_save = false;            // `aks-token login`: a token that cannot be cached is a failure
    std::ostream* prompt = nullptr;    // stderr: prompts, warnings, the lock-wait notice
    std::string line_prefix;           // before warnings and notices ("aks-token: ")
    SignInStatus* status = nullptr;    // device code / browser progress on `prompt`; null: plain lines
    std::ostream* verbose = nullptr;   // -v diagnostics (fingerprints only), may be null
};

struct TokenSourceDeps {
    Clock clock;
    Sleeper sleep;
    SteadyClock steady;  // deadlines; empty: the real monotonic clock
    HttpClientOptions http;
    ProcessRunner run_process;  // az / azd (tests inject a fake); empty: the real one
    BrowserOpener open_browser;  // interactive (tests inject a double); empty: $BROWSER, xdg-open...
    EnvLookup env;  // flows' environment (workload identity, msi, az); defaults to http.env, then the process
};

// Throws InteractionRequired (one line: the reason, e.g. the AADSTS line of
// a rejected refresh token, or "sign-in required"), AuthError, TransportError
// (identity provider unavailable, or the lock held beyond --timeout),
// CacheError, UsageError (unsupported login mode).
Token acquire_token(const LoginSettings& s, const TokenCache& cache, const TokenRequest& req,
                    const TokenSourceDeps& deps);

// Short non-reversible fingerprint for -v output: "sha256:" + first 12 hex.
std::string token_fingerprint(const std::string& access_token);

}  // namespace aks
