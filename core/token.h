#pragma once
#include <cstdint>
#include <string>

#include "core/jwt_claims.h"

namespace aks {

struct Token {
    std::string access_token;
    std::string token_type = "Bearer";
    std::int64_t expires_on = 0;   // epoch seconds
    std::int64_t obtained_at = 0;  // epoch seconds
    std::string refresh_token;     // empty when the flow gives none
    TokenClaims claims;
};

}  // namespace aks
