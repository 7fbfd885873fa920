#pragma once
// Error types caught at the program edge. Every message is one line a user can
// act on and never contains a token or secret.
#include <stdexcept>
#include <string>

namespace aks {

// Bad flags, environment or configuration supplied by the user.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Cache directory or file problems (permissions, ownership, I/O).
struct CacheError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The identity provider could not be used now: network or TLS failure,
// timeout, 5xx/429, or an answer that is not the expected JSON (after the
// bounded retries), or another process held the lock too long. Worth trying
// again later; exit 1. `status` is the last HTTP status seen (0: none).
struct TransportError : std::runtime_error {
    explicit TransportError(const std::string& what, int last_status = 0)
        : std::runtime_error(what), status(last_status) {}
    int status = 0;
};

// The identity provider refused with an OAuth error (or a flow failed for a
// reason that trying again will not fix); exit 1.
struct AuthError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// An OAuth error saying the grant itself is dead (invalid_grant,
// interaction_required, consent_required, login_required...): only a new
// sign-in helps. Refreshing drops the refresh token on it.
struct GrantRejected : AuthError {
    using AuthError::AuthError;
};

// A person is needed (device code, browser) but the session is not
// interactive. The message is the reason (e.g. the AADSTS line), or
// "sign-in required" when there is nothing more to say.
struct InteractionRequired : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace aks
