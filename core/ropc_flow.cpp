#include "core/ropc_flow.h"

#include "core/oauth_error.h"
#include "core/token_response.h"

namespace aks {

Token run_ropc_flow(HttpClient& http, const RopcParams& p, std::int64_t now) {
    const auto r = http.post_form(p.endpoints.token, {{"grant_type", "password"},
                                                      {"client_id", p.client_id},
                                                      {"username", p.username},
                                                      {"password", p.password},
                                                      {"scope", p.scope}},
                                  expect_token_response());
    if (r.error) throw_oauth_error("username/password sign-in failed", *r.error);
    return parse_token_response(r.body, now);
}

}  // namespace aks
