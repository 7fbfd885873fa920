#include "core/refresh_flow.h"

#include "core/oauth_error.h"
#include "core/token_response.h"

namespace aks {

Token redeem_refresh_token(HttpClient& http, const IdentityEndpoints& endpoints, const std::string& client_id,
                           const std::string& scope, const std::string& refresh_token, std::int64_t now) {
    std::multimap<std::string, std::string> form{
        {"grant_type", "refresh_token"}, {"client_id", client_id}, {"refresh_token", refresh_token}};
    // Without a scope the provider renews the granted one (RFC 6749 §6).
    if (!scope.empty()) form.emplace("scope", scope);
    const auto r = http.post_form(endpoints.token, form, expect_token_response());
    if (r.error) throw_oauth_error("refreshing the token failed", *r.error);
    Token t = parse_token_response(r.body, now);
    // Entra usually rotates the refresh token; keep the old one when it doesn't.
    if (t.refresh_token.empty()) t.refresh_token = refresh_token;
    return t;
}

}  // namespace aks
