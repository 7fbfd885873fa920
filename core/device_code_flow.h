#pragma once
// OAuth 2.0 device authorization grant against Entra (DESIGN.md).
#include <ostream>

#include "core/clock.h"
#include "core/http_client.h"
#include "core/identity_endpoints.h"
#include "core/token.h"

namespace aks {

struct DeviceCodeParams {
    IdentityEndpoints endpoints;
    std::string client_id;
    std::string scope;
    std::int64_t timeout_seconds = 0;  // 0: until the code's expires_in
};

// Requests a code, prints Entra's `message` (or an equivalent line) to
// `prompt`, polls honouring interval / slow_down (+5 s) / expires_in.
// Throws AuthError on declined, expired, bad code or other OAuth errors (with
// AADSTS advice), TransportError on network failure.
Token run_device_code_flow(HttpClient& http, const DeviceCodeParams& p, std::ostream& prompt,
                           const Clock& clock, const Sleeper& sleep);

}  // namespace aks
