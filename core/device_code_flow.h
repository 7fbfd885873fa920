#pragma once
// OAuth 2.0 device authorization grant against Entra (DESIGN.md).
#include "core/clock.h"
#include "core/http_client.h"
#include "core/identity_endpoints.h"
#include "core/sign_in_status.h"
#include "core/token.h"

namespace aks {

// A device authorization response (RFC 8628 §3.2, Entra's shape).
struct DeviceCode {
    std::string device_code;
    std::string user_code;
    std::string verification_uri;
    std::string message;
    std::int64_t expires_in = 900;  // seconds, at most an hour
    std::int64_t interval = 5;      // seconds between polls, at most a minute
};

// Parses the devicecode endpoint's answer; AuthError naming what is missing
// (never echoing the body). Exposed for tests and the fuzz target.
DeviceCode parse_device_code_response(const std::string& body);

// The one line shown on the terminal: Entra's `message`, else an equivalent
// sentence; server text with control characters replaced.
std::string device_code_prompt(const DeviceCode& dc);

struct DeviceCodeParams {
    IdentityEndpoints endpoints;
    std::string client_id;
    std::string scope;
    std::int64_t timeout_seconds = 0;  // 0: until the code's expires_in
};

// Requests a code, shows it through `status` (Entra's `message` as a plain
// line, or a live status line on a terminal that counts down and ends in
// "Signed in as ..."), polls honouring interval / slow_down (+5 s) / expires_in.
// Throws AuthError on declined, expired, bad code or other OAuth errors (with
// AADSTS advice), TransportError on network failure.
Token run_device_code_flow(HttpClient& http, const DeviceCodeParams& p, SignInStatus& status,
                           const Clock& clock, const Sleeper& sleep);

}  // namespace aks
