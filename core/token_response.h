#pragma once
// Parses a successful OAuth token endpoint response (Entra, IMDS, any OIDC
// provider) into a Token. expires_on wins over expires_in; either may be a
// number or a numeric string; with neither, the JWT exp claim is used.
#include <cstdint>
#include <string>

#include "core/token.h"

namespace aks {

// Throws AuthError naming what is missing (never echoing the body).
Token parse_token_response(const std::string& body, std::int64_t now);

}  // namespace aks
