#include "core/token_response.h"

#include "core/errors.h"
#include "core/expiry.h"
#include "core/json_number.h"

namespace aks {

Token parse_token_response(const std::string& body, std::int64_t now) {
    // The body may hold a token or an HTML page quoting one: never echo it.
    const auto parsed = parse_json(body);
    if (!parsed || !parsed->is<picojson::object>()) {
        throw AuthError("identity provider returned an unreadable token response (not JSON)");
    }
    const picojson::value& v = *parsed;

    Token t;
    t.access_token = json_string_field(v, "access_token");
    if (t.access_token.empty()) throw AuthError("token response has no access_token");
    const std::string type = json_string_field(v, "token_type");
    if (!type.empty()) t.token_type = type;
    t.refresh_token = json_string_field(v, "refresh_token");
    t.obtained_at = now;
    if (auto claims = decode_jwt_claims(t.access_token)) t.claims = *claims;

    // expires_on is absolute and survives a slow response; expires_in is relative.
    const auto expires_on = json_int_field(v, "expires_on");
    const auto expires_in = json_int_field(v, "expires_in");
    if (expires_on && *expires_on > 0) {
        t.expires_on = *expires_on;
    } else if (std::int64_t sum = 0;
               expires_in && *expires_in >= 0 && !__builtin_add_overflow(now, *expires_in, &sum)) {
        t.expires_on = sum;
    } else if (t.claims.exp > 0) {
        t.expires_on = t.claims.exp;
    } else {
        throw AuthError("token response has no expiry");
    }
    if (t.expires_on > kLatestExpiry) throw AuthError("token response has an implausible expiry");
    return t;
}

}  // namespace aks
