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

// Network / TLS / HTTP transport failure talking to the identity provider.
struct TransportError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The identity provider answered with an OAuth error or an unusable response.
struct AuthError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A person is needed (device code, browser) but the session is not interactive.
struct InteractionRequired : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace aks
