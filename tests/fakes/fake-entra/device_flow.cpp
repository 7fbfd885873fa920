// Device authorization grant: POST /{tenant}/oauth2/v2.0/devicecode, the
// device_code token grant, and the /devicelogin page a person would use.
#include "tests/fakes/fake-entra/faults.h"
#include "tests/fakes/fake-entra/json.h"
#include "tests/fakes/fake-entra/routes.h"
#include "tests/fakes/fake-entra/token_issuer.h"
#include "tests/fakes/fake-entra/wire.h"

#include <algorithm>
#include <cctype>

namespace aks::fake_entra {
namespace {

std::string normalize_user_code(std::string code) {
    code.erase(std::remove_if(code.begin(), code.end(),
                              [](unsigned char c) { return c == '-' || std::isspace(c); }),
               code.end());
    std::transform(code.begin(), code.end(), code.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return code;
}

void device_code_request(Fake& fake, const httplib::Request& req, httplib::Response& res) {
    {
        std::lock_guard<std::mutex> lock(fake.mu);
        ++fake.state.counters.devicecode;
    }
    if (apply_fault(fake, req, res)) return;
    std::string tid;
    if (!resolve_tenant(fake, req.matches[1], tid, res)) return;
    const std::string client_id = req.get_param_value("client_id");
    const std::string scope = req.get_param_value("scope");
    if (client_id.empty()) return send_missing_parameter(res, "client_id");
    if (scope.empty()) return send_missing_parameter(res, "scope");

    DeviceCode d;
    d.device_code = "DAQABIQEAAAB" + random_token(160);
    d.user_code = random_user_code();
    d.client_id = client_id;
    d.scope = scope;
    d.tid = tid;
    const std::string uri = fake.base_url + "/devicelogin";

    std::lock_guard<std::mutex> lock(fake.mu);
    const Config& c = fake.state.config;
    d.expires_at = now_epoch() + c.expires_in;
    fake.state.last_user_code = d.user_code;
    fake.state.device_codes[d.device_code] = d;
    send_json(res, 200,
              OrderedJson()
                  .add("user_code", d.user_code)
                  .add("device_code", d.device_code)
                  .add("verification_uri", uri)
                  .add_number("expires_in", c.expires_in, c.string_numbers)
                  .add_number("interval", c.interval, c.string_numbers)
                  .add("message", "To sign in, use a web browser to open the page " + uri +
                                      " and enter the code " + d.user_code + " to authenticate.")
                  .str());
}

const char kPageHead[] =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Enter code - fake Entra</title>"
    "</head><body>";

void devicelogin_form(Fake& fake, const httplib::Request& req, httplib::Response& res) {
    if (apply_fault(fake, req, res)) return;
    const std::string otc = req.get_param_value("otc");
    send_html(res, 200,
              std::string(kPageHead) +
                  "<h1>Enter code</h1><p>Enter the code displayed on your app or device.</p>"
                  "<form method=\"post\" action=\"/devicelogin\">"
                  "<input name=\"user_code\" autocomplete=\"off\" value=\"" + html_escape(otc) +
                  "\"><button name=\"action\" value=\"approve\">Sign in and allow</button>"
                  "<button name=\"action\" value=\"decline\">Decline</button></form></body></html>");
}

void devicelogin_submit(Fake& fake, const httplib::Request& req, httplib::Response& res) {
    if (apply_fault(fake, req, res)) return;
    const std::string code = normalize_user_code(req.get_param_value("user_code"));
    const std::string action = req.get_param_value("action");
    if (action != "approve" && action != "decline")
        return send_html(res, 400, std::string(kPageHead) +
                                       "<h1>Choose approve or decline.</h1></body></html>");
    std::lock_guard<std::mutex> lock(fake.mu);
    const std::int64_t now = now_epoch();
    for (auto& [key, d] : fake.state.device_codes) {
        if (d.user_code != code || d.state != DeviceState::pending || now >= d.expires_at) continue;
        d.state = action == "approve" ? DeviceState::approved : DeviceState::declined;
        return send_html(res, 200,
                         std::string(kPageHead) +
                             (action == "approve"
                                  ? "<h1>You have signed in.</h1><p>You have signed in to the "
                                    "application on your device. You may now close this window.</p>"
                                  : "<h1>Sign-in declined.</h1><p>You declined to sign in to the "
                                    "application on your device. You may now close this window.</p>") +
                             "</body></html>");
    }
    send_html(res, 400, std::string(kPageHead) +
                            "<h1>That code didn't work.</h1><p>Check the code and try again.</p>"
                            "</body></html>");
}

}  // namespace

void redeem_device_code(Fake& fake, const httplib::Request& req, httplib::Response& res) {
    const std::string code = req.get_param_value("device_code");
    const std::string client_id = req.get_param_value("client_id");
    if (code.empty()) return send_missing_parameter(res, "device_code");

    std::lock_guard<std::mutex> lock(fake.mu);
    State& st = fake.state;
    auto it = st.device_codes.find(code);
    if (it == st.device_codes.end())
        return send_entra_error(res, 400, "bad_verification_code", 70018,
                                "Invalid verification code due to User typing in wrong user code "
                                "for device code flow. Authorization isn't approved.");
    DeviceCode& d = it->second;
    if (d.client_id != client_id)
        return send_entra_error(res, 400, "invalid_grant", 70000,
                                "The provided device code was issued to a different client.");
    if (d.state != DeviceState::declined && now_epoch() >= d.expires_at)
        d.state = DeviceState::expired;
    if (d.state == DeviceState::pending) {
        ++d.polls;
        const std::int64_t after = st.config.auto_approve_after;
        if (after >= 0 && d.polls > after) d.state = DeviceState::approved;
    }
    switch (d.state) {
        case DeviceState::pending:
            return send_entra_error(res, 400, "authorization_pending", 70016,
                                    "OAuth 2.0 device flow error. Authorization is pending. "
                                    "Continue polling.");
        case DeviceState::declined:
            return send_entra_error(res, 400, "authorization_declined", 70000,
                                    "The user declined the authorization request.");
        case DeviceState::expired:
            return send_entra_error(res, 400, "expired_token", 70020,
                                    "The provided value for the input parameter 'device_code' is "
                                    "not valid. This device code has expired.");
        case DeviceState::approved: break;
    }
    Grant g;
    g.client_id = d.client_id;
    g.scope = d.scope;
    g.tid = d.tid;
    g.who = configured_identity(fake);
    st.device_codes.erase(it);  // a device code is redeemed once
    send_json(res, 200, issue_token_response(fake, g, scope_has(g.scope, "offline_access")));
}

void register_device_flow(httplib::Server& server, Fake& fake) {
    server.Post(R"(/([^/]+)/oauth2/v2\.0/devicecode)",
                [&fake](const httplib::Request& req, httplib::Response& res) {
                    device_code_request(fake, req, res);
                });
    server.Get("/devicelogin", [&fake](const httplib::Request& req, httplib::Response& res) {
        devicelogin_form(fake, req, res);
    });
    server.Post("/devicelogin", [&fake](const httplib::Request& req, httplib::Response& res) {
        devicelogin_submit(fake, req, res);
    });
}

}  // namespace aks::fake_entra
