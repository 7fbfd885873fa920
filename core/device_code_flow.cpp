#include "core/device_code_flow.h"

#include <picojson.h>

#include <algorithm>

#include "core/errors.h"
#include "core/json_number.h"
#include "core/idp_answer.h"
#include "core/oauth_error.h"
#include "core/sign_in_status.h"
#include "core/terminal_text.h"
#include "core/token_response.h"

namespace aks {
namespace {

constexpr const char* kWhat = "device code sign-in failed";
constexpr std::int64_t kSlowDownStep = 5;
// A server cannot make us poll slower than this or wait longer than this
// (Entra: interval 5 s, codes live 15 minutes); also keeps `interval * 1000` small.
constexpr std::int64_t kMaxInterval = 60;
constexpr std::int64_t kMaxExpiresIn = 3600;

// Sleeps `ms`; with a live status line, in steps of a second so the time
// left counts down between polls.
void wait_ticking(std::int64_t ms, SignInStatus& status, const Clock& clock, const Sleeper& sleep) {
    if (!status.live()) return sleep(ms);
    for (std::int64_t step = 0; ms > 0; ms -= step) {
        step = std::min<std::int64_t>(ms, 1000);
        sleep(step);
        status.tick(clock());
    }
}

}  // namespace

DeviceCode parse_device_code_response(const std::string& body) {
    const auto parsed = parse_json(body);
    if (!parsed || !parsed->is<picojson::object>())
        throw AuthError("device code response from the identity provider is not a JSON object");
    const picojson::value& v = *parsed;
    DeviceCode dc;
    dc.device_code = json_string_field(v, "device_code");
    dc.user_code = json_string_field(v, "user_code");
    dc.verification_uri = json_string_field(v, "verification_uri");
    if (dc.verification_uri.empty()) dc.verification_uri = json_string_field(v, "verification_url");
    dc.message = json_string_field(v, "message");
    if (auto n = json_int_field(v, "expires_in"); n && *n > 0) dc.expires_in = std::min(*n, kMaxExpiresIn);
    // 0 is honoured (test fakes use it); only absent or negative falls back.
    if (auto n = json_int_field(v, "interval"); n && *n >= 0) dc.interval = std::min(*n, kMaxInterval);

    if (dc.device_code.empty())
        throw AuthError("device code response from the identity provider has no device_code");
    if (dc.message.empty() && (dc.user_code.empty() || dc.verification_uri.empty()))
        throw AuthError("device code response from the identity provider has no user_code/verification_uri");
    return dc;
}

std::string device_code_prompt(const DeviceCode& dc) {
    // Server text on a terminal: one clean line (Entra's message is ~130 bytes).
    if (!dc.message.empty()) return terminal_line(dc.message, 500);
    return "To sign in, open " + terminal_line(dc.verification_uri) + " and enter the code " +
           terminal_line(dc.user_code, 64);
}

Token run_device_code_flow(HttpClient& http, const DeviceCodeParams& p, SignInStatus& status, const Clock& clock,
                           const Sleeper& sleep) {
    Expect device_code;
    device_code.problem = [](const std::string& body) -> std::string {
        try {
            (void)parse_device_code_response(body);
            return {};
        } catch (const AuthError& e) {
            return e.what();
        }
    };
    const auto issued =
        http.post_form(p.endpoints.device_code, {{"client_id", p.client_id}, {"scope", p.scope}}, device_code);
    if (issued.error) throw_oauth_error(kWhat, *issued.error);
    const DeviceCode dc = parse_device_code_response(issued.body);

    const std::int64_t start = clock();
    std::int64_t deadline = start + dc.expires_in;
    bool limited_by_timeout = false;
    if (p.timeout_seconds > 0 && start + p.timeout_seconds < deadline) {
        deadline = start + p.timeout_seconds;
        limited_by_timeout = true;
    }

    status.device_code(device_code_prompt(dc), dc.user_code, dc.verification_uri, deadline, start);
    const StatusLineGuard close(status);

    std::int64_t interval = dc.interval;
    const std::multimap<std::string, std::string> poll_form{
        {"grant_type", "urn:ietf:params:oauth:grant-type:device_code"},
        {"client_id", p.client_id},
        {"device_code", dc.device_code},
    };
    const Expect token = expect_token_response();
    for (;;) {
        wait_ticking(interval * 1000, status, clock, sleep);
        const auto r = http.post_form(p.endpoints.token, poll_form, token);
        if (!r.error) {
            Token t = parse_token_response(r.body, clock());
            status.signed_in(t);
            return t;
        }

        const OAuthError* e = &*r.error;
        if (e->error == "authorization_pending" || e->error == "slow_down") {
            if (e->error == "slow_down") interval = std::min(interval + kSlowDownStep, kMaxInterval);
            if (clock() >= deadline) {
                if (limited_by_timeout)
                    throw AuthError("sign-in did not complete within --timeout " + std::to_string(p.timeout_seconds) +
                                    "s; run the command again");
                throw AuthError("the device code expired before sign-in completed; run the command again");
            }
            continue;
        }
        if (e->error == "authorization_declined" || e->error == "access_denied")
            throw AuthError("sign-in was declined");
        if (e->error == "expired_token" || e->error == "code_expired")
            throw AuthError("the device code expired before sign-in completed; run the command again");
        throw_oauth_error(kWhat, *e);
    }
}

}  // namespace aks
