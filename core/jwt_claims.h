#pragma once
// Client-side decoding of the JWT payload for display and cache summaries.
// No signature check: the token came straight from the identity provider.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aks {

struct TokenClaims {
    std::string upn;  // upn, else unique_name, preferred_username, email, appid, azp
    std::string oid;
    std::string tid;
    std::string aud;
    std::string iss;
    std::int64_t exp = 0;
    int groups_count = 0;
    bool groups_overage = false;  // _claim_names.groups present (or hasgroups: true)
};

// nullopt when the token is not a three-part JWT with a JSON object payload.
std::optional<TokenClaims> decode_jwt_claims(std::string_view token);

}  // namespace aks
