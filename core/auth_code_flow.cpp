#include "core/auth_code_flow.h"

#include <picojson.h>

#include <algorithm>

#include "core/base64url.h"
#include "core/errors.h"
#include "core/json_number.h"
#include "core/loopback_redirect_listener.h"
#include "core/oauth_error.h"
#include "core/pkce.h"
#include "core/token_response.h"
#include "core/url.h"

namespace aks {
namespace {

constexpr const char* kWhat = "browser sign-in failed";

bool has_scope(const std::string& scope, const std::string& item) {
    std::size_t start = 0;
    while (start <= scope.size()) {
        std::size_t end = scope.find(' ', start);
        if (end == std::string::npos) end = scope.size();
        if (scope.compare(start, end - start, item) == 0) return true;
        start = end + 1;
    }
    return false;
}

// The id_token's nonce; nullopt when the response has no id_token, "" when
// the id_token is unreadable or has none. No signature check: the token came
// straight from the token endpoint over verified TLS, as OpenID Connect
// allows (Core §3.1.3.7).
std::optional<std::string> id_token_nonce(const std::string& body) {
    const auto v = parse_json(body);
    const std::string id_token = v ? json_string_field(*v, "id_token") : std::string();
    if (id_token.empty()) return std::nullopt;
    const auto d1 = id_token.find('.');
    const auto d2 = d1 == std::string::npos ? d1 : id_token.find('.', d1 + 1);
    if (d2 == std::string::npos) return std::string();
    const auto payload = base64url_decode(id_token.substr(d1 + 1, d2 - d1 - 1));
    if (!payload) return std::string();
    const auto claims = parse_json(*payload);
    return claims ? json_string_field(*claims, "nonce") : std::string();
}

}  // namespace

std::string authorize_url(const AuthCodeParams& p, const std::string& redirect_uri, const std::string& state,
                          const std::string& challenge, const std::string& nonce) {
    std::multimap<std::string, std::string> q{{"client_id", p.client_id},
                                              {"response_type", "code"},
                                              {"redirect_uri", redirect_uri},
                                              {"scope", p.scope},
                                              {"state", state},
                                              {"code_challenge", challenge},
                                              {"code_challenge_method", "S256"},
                                              {"response_mode", "query"}};
    if (!nonce.empty()) q.emplace("nonce", nonce);
    if (!p.login_hint.empty()) q.emplace("login_hint", p.login_hint);
    else if (!p.prompt.empty()) q.emplace("prompt", p.prompt);
    return p.endpoints.authorize + (p.endpoints.authorize.find('?') == std::string::npos ? "?" : "&") + form_encode(q);
}

Token run_auth_code_flow(HttpClient& http, const AuthCodeParams& p, const BrowserOpener& open_browser,
                         SignInStatus& status, const Clock& clock) {
    const Pkce pkce = make_pkce();
    const std::string state = random_urlsafe(24);
    const std::string nonce = has_scope(p.scope, "openid") ? random_urlsafe(24) : std::string();
    LoopbackRedirectListener listener(p.redirect_url, state);
    const std::string url = authorize_url(p, listener.redirect_uri(), state, pkce.challenge, nonce);
    const std::int64_t timeout = p.timeout_seconds > 0 ? p.timeout_seconds : kBrowserDefaultTimeout;

    const bool opened = open_browser && open_browser(url);
    const std::int64_t start = clock();
    status.browser(url, opened, timeout, start + timeout, start);

    const StatusLineGuard close(status);
    std::optional<RedirectResult> r;
    if (!status.live()) {
        r = listener.wait(timeout * 1000);
    } else {
        // A second at a time, so the time left counts down.
        for (std::int64_t left = timeout * 1000; !r && left > 0; left -= 1000) {
            r = listener.wait(std::min<std::int64_t>(left, 1000));
            if (!r) status.tick(clock());
        }
    }
    if (!r)
        throw AuthError("browser sign-in did not complete within " + std::to_string(timeout) +
                        "s (--timeout); run the command again");
    if (!r->error.empty()) {
        OAuthError e;
        e.error = r->error;
        e.error_description = r->error_description;
        // Entra puts "AADSTSnnnn:" at the start of the description.
        if (e.error_description.rfind("AADSTS", 0) == 0) {
            try {
                e.error_codes.push_back(std::stol(e.error_description.substr(6)));
            } catch (const std::exception&) {
            }
        }
        if (e.error == "access_denied" && e.error_codes.empty()) throw AuthError("sign-in was declined in the browser");
        throw AuthError(describe_oauth_error(kWhat, e));
    }

    const auto resp = http.post_form(p.endpoints.token, {{"grant_type", "authorization_code"},
                                                         {"client_id", p.client_id},
                                                         {"code", r->code},
                                                         {"redirect_uri", listener.redirect_uri()},
                                                         {"code_verifier", pkce.verifier},
                                                         {"scope", p.scope}},
                                     expect_token_response());
    if (resp.error) throw_oauth_error(kWhat, *resp.error);
    if (!nonce.empty()) {
        // A nonce was sent: an id_token must carry it (Core §3.1.3.7 step 11).
        const auto got = id_token_nonce(resp.body);
        if (got && *got != nonce) throw AuthError("browser sign-in failed: the id_token's nonce does not match");
    }
    Token t = parse_token_response(resp.body, clock());
    status.signed_in(t);
    return t;
}

}  // namespace aks
