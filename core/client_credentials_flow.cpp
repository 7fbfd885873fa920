#include "core/client_credentials_flow.h"

#include "core/oauth_error.h"
#include "core/token_response.h"

namespace aks {

std::string app_scope(const std::string& server_id) { return server_id + "/.default"; }

Token run_client_credentials_flow(HttpClient& http, const std::string& token_endpoint, const ClientCredentials& c,
                                  const std::string& scope, const std::string& what, std::int64_t now) {
    std::multimap<std::string, std::string> form{
        {"grant_type", "client_credentials"}, {"client_id", c.client_id}, {"scope", scope}};
    if (!c.client_assertion.empty()) {
        form.emplace("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        form.emplace("client_assertion", c.client_assertion);
    } else {
        form.emplace("client_secret", c.client_secret);
    }
    const auto r = http.post_form(token_endpoint, form, expect_token_response());
    if (r.error) throw_oauth_error(what, *r.error);
    Token t = parse_token_response(r.body, now);
    t.refresh_token.clear();  // an application signs in again instead
    return t;
}

}  // namespace aks
