#pragma once
// The local end of a browser sign-in: an HTTP listener on the loopback
// interface that waits for the identity provider to redirect the browser
// back with ?code=...&state=... (or ?error=...), answers with a small page
// telling the person what happened, and hands the result to the flow.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/redirect_url.h"

namespace aks {

struct RedirectResult {
    std::string code;
    std::string error;              // OAuth error from the provider (access_denied...)
    std::string error_description;  // provider text (may name the AADSTS code)
};

class LoopbackRedirectListener {
public:
    // redirect_url empty: 127.0.0.1 on an ephemeral port, redirect URI
    // "http://localhost:<port>". Otherwise an http URL on localhost,
    // 127.0.0.1 or [::1] with a port; the listener takes its port and path.
    // Throws UsageError for an unusable URL or a port already in use.
    LoopbackRedirectListener(const std::string& redirect_url, std::string expected_state);
    ~LoopbackRedirectListener();
    LoopbackRedirectListener(const LoopbackRedirectListener&) = delete;
    LoopbackRedirectListener& operator=(const LoopbackRedirectListener&) = delete;

    // What to send as redirect_uri.
    const std::string& redirect_uri() const;
    int port() const;

    // Waits for the redirect with the expected state until `deadline_epoch_ms`
    // (steady clock ms from now: `timeout_ms`). nullopt on timeout. Requests
    // to other paths, or with another state, are answered and ignored.
    std::optional<RedirectResult> wait(std::int64_t timeout_ms);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace aks
