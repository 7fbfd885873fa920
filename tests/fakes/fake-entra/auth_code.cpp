// Authorization code + PKCE: GET /{tenant}/oauth2/v2.0/authorize signs the
// configured user in at once (or, with signin_page, after the person clicks
// "Sign in" on a small page) and redirects with a code; the token endpoint
// redeems it once, checking redirect_uri and the PKCE verifier.
#include "tests/fakes/fake-entra/faults.h"
#include "tests/fakes/fake-entra/routes.h"
#include "tests/fakes/fake-entra/token_issuer.h"
#include "tests/fakes/fake-entra/wire.h"

namespace aks::fake_entra {
namespace {

const std::int64_t kCodeLifetime = 600;

std::string with_query(const std::string& uri, const std::string& query) {
    return uri + (uri.find('?') == std::string::npos ? "?" : "&") + query;
}

void redirect(httplib::Response& res, const std::string& location) {
    res.status = 302;
    res.set_header("Location", location);
    res.set_header("Cache-Control", "no-store, no-cache");
}

void redirect_error(httplib::Response& res, const std::string& redirect_uri,
                    const std::string& state, const std::string& error, std::int64_t code,
                    const std::string& message) {
    std::string q = "error=" + url_encode(error) + "&error_description=" +
                    url_encode("AADSTS" + std::to_string(code) + ": " + message + "\r\nTrace ID: " +
                               random_uuid() + "\r\nCorrelation ID: " + random_uuid() +
                               "\r\nTimestamp: " + entra_timestamp(now_epoch())) +
                    "&error_uri=" +
                    url_encode("https://login.microsoftonline.com/error?code=" + std::to_string(code));
    if (!state.empty()) q += "&state=" + url_encode(state);
    redirect(res, with_query(redirect_uri, q));
}

// The sign-in page of signin_page mode: the request's parameters as hidden
// fields and a "Sign in" button that posts them back to /authorize.
void send_signin_page(const httplib::Request& req, httplib::Response& res, const std::string& upn) {
    std::string fields;
    for (const auto& [k, v] : req.params)
        fields += "<input type=\"hidden\" name=\"" + html_escape(k) + "\" value=\"" + html_escape(v) + "\">";
    const std::string hint = req.get_param_value("login_hint");
    send_html(res, 200,
              "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Sign in to your account</title></head>"
              "<body><h1>Sign in</h1><form method=\"post\" action=\"" + html_escape(req.path) + "\">" + fields +
                  "<p id=\"account\">" + html_escape(hint.empty() ? upn : hint) + "</p>"
                  "<button id=\"signin\" type=\"submit\">Sign in</button></form></body></html>");
}

void authorize(Fake& fake, const httplib::Request& req, httplib::Response& res, bool submitted) {
    if (!submitted) {
        std::lock_guard<std::mutex> lock(fake.mu);
        ++fake.state.counters.authorize;
    }
    if (apply_fault(fake, req, res)) return;
    std::string tid;
    if (!resolve_tenant(fake, req.matches[1], tid, res)) return;
    const std::string client_id = req.get_param_value("client_id");
    const std::string redirect_uri = req.get_param_value("redirect_uri");
    const std::string state = req.get_param_value("state");
    // Without a client or a place to go back to, Entra shows an error page.
    if (client_id.empty() || redirect_uri.empty())
        return send_html(res, 400,
                         "<!DOCTYPE html><html><body><h1>Sorry, but we're having trouble signing "
                         "you in.</h1><p>AADSTS900144: The request body must contain the following "
                         "parameter: '" + std::string(client_id.empty() ? "client_id" : "redirect_uri") +
                         "'.</p></body></html>");
    if (req.get_param_value("response_type") != "code")
        return redirect_error(res, redirect_uri, state, "unsupported_response_type", 70005,
                              "The app returned an unsupported response type.");
    const std::string challenge = req.get_param_value("code_challenge");
    std::string method = req.get_param_value("code_challenge_method");
    if (!challenge.empty() && method.empty()) method = "plain";
    if (!challenge.empty() && method != "S256" && method != "plain")
        return redirect_error(res, redirect_uri, state, "invalid_request", 501491,
                              "Invalid code_challenge_method.");

    std::lock_guard<std::mutex> lock(fake.mu);
    const Config& c = fake.state.config;
    if (c.signin_page && !submitted) return send_signin_page(req, res, c.upn);
    if (!c.authorize_error.empty())
        return redirect_error(res, redirect_uri, state, c.authorize_error, 65004,
                              "User declined to consent to access the app.");
    AuthCode ac;
    ac.grant.client_id = client_id;
    ac.grant.scope = req.get_param_value("scope");
    ac.grant.tid = tid;
    ac.grant.who = configured_identity(fake);
    ac.grant.nonce = req.get_param_value("nonce");
    ac.redirect_uri = redirect_uri;
    ac.challenge = challenge;
    ac.challenge_method = method;
    ac.expires_at = now_epoch() + kCodeLifetime;
    const std::string code = "1.AX" + random_token(180);
    fake.state.auth_codes[code] = ac;
    std::string q = "code=" + url_encode(code);
    if (!state.empty()) q += "&state=" + url_encode(state);
    q += "&session_state=" + random_uuid();
    redirect(res, with_query(redirect_uri, q));
}

}  // namespace

void redeem_authorization_code(Fake& fake, const httplib::Request& req, httplib::Response& res) {
    const std::string code = req.get_param_value("code");
    const std::string redirect_uri = req.get_param_value("redirect_uri");
    const std::string verifier = req.get_param_value("code_verifier");
    if (code.empty()) return send_missing_parameter(res, "code");
    if (redirect_uri.empty()) return send_missing_parameter(res, "redirect_uri");

    std::lock_guard<std::mutex> lock(fake.mu);
    auto& codes = fake.state.auth_codes;
    auto it = codes.find(code);
    if (it == codes.end() || now_epoch() >= it->second.expires_at)
        return send_entra_error(res, 400, "invalid_grant", 70008,
                                "The provided authorization code or refresh token has expired due "
                                "to inactivity. Send a new interactive authorization request for "
                                "this user and resource.");
    const AuthCode& ac = it->second;
    if (ac.grant.client_id != req.get_param_value("client_id"))
        return send_entra_error(res, 400, "invalid_grant", 70000,
                                "Provided grant is invalid or malformed.");
    if (ac.redirect_uri != redirect_uri)
        return send_entra_error(res, 400, "invalid_grant", 70000,
                                "The provided value for the 'redirect_uri' is not valid. The value "
                                "must exactly match the redirect URI used to obtain the "
                                "authorization code.");
    if (!ac.challenge.empty()) {
        if (verifier.empty()) return send_missing_parameter(res, "code_verifier");
        const std::string expect =
            ac.challenge_method == "S256" ? base64url(sha256(verifier)) : verifier;
        if (expect != ac.challenge)
            return send_entra_error(res, 400, "invalid_grant", 501481,
                                    "The Code_Verifier does not match the code_challenge supplied "
                                    "in the authorization request.");
    }
    const Grant g = ac.grant;
    codes.erase(it);  // an authorization code is redeemed once
    send_json(res, 200, issue_token_response(fake, g, scope_has(g.scope, "offline_access")));
}

void register_authorize(httplib::Server& server, Fake& fake) {
    server.Get(R"(/([^/]+)/oauth2/v2\.0/authorize)",
               [&fake](const httplib::Request& req, httplib::Response& res) {
                   authorize(fake, req, res, false);
               });
    // The sign-in page's form posts here (signin_page mode).
    server.Post(R"(/([^/]+)/oauth2/v2\.0/authorize)",
                [&fake](const httplib::Request& req, httplib::Response& res) {
                    authorize(fake, req, res, true);
                });
}

}  // namespace aks::fake_entra
