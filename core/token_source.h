#pragma once
// The use case every tool shares: give me a usable token for these settings.
// Cache hit → return. Otherwise take the key's lock, re-read (someone else
// may have just logged in), refresh silently if a refresh token exists, else
// run the interactive flow when allowed. A still-valid token is returned when
// refreshing fails.
#include <ostream>

#include "core/browser_launcher.h"
#include "core/clock.h"
#include "core/http_client.h"
#include "core/login_settings.h"
#include "core/process_runner.h"
#include "core/token.h"
#include "core/token_cache.h"

namespace aks {

struct TokenRequest {
    bool interactive_allowed = false;  // a person can answer a prompt
    bool force_login = false;          // `aks-token login`: ignore cached token
    std::ostream* prompt = nullptr;    // stderr
    std::ostream* verbose = nullptr;   // -v diagnostics (fingerprints only), may be null
};

struct TokenSourceDeps {
    Clock clock;
    Sleeper sleep;
    HttpClientOptions http;
    ProcessRunner run_process;  // az / azd (tests inject a fake); empty: the real one
    BrowserOpener open_browser;  // interactive (tests inject a double); empty: $BROWSER, xdg-open...
    EnvLookup env;  // flows' environment (workload identity, msi, az); defaults to http.env, then the process
};

// Throws InteractionRequired (one line naming the command to run), AuthError,
// TransportError, CacheError, UsageError (unsupported login mode).
Token acquire_token(const LoginSettings& s, const TokenCache& cache, const TokenRequest& req,
                    const TokenSourceDeps& deps);

// Short non-reversible fingerprint for -v output: "sha256:" + first 12 hex.
std::string token_fingerprint(const std::string& access_token);

}  // namespace aks
