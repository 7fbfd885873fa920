#pragma once
#include "core/http_client.h"
#include "core/identity_endpoints.h"
#include "core/token.h"

namespace aks {

// grant_type=refresh_token; `scope` may be empty (the granted scope). The returned Token carries the rotated refresh
// token, or the old one when the response has none. Throws GrantRejected
// (invalid_grant etc.: the refresh token is dead), AuthError (other OAuth
// errors, with advice) or TransportError (unavailable after the retries).
Token redeem_refresh_token(HttpClient& http, const IdentityEndpoints& endpoints, const std::string& client_id,
                           const std::string& scope, const std::string& refresh_token, std::int64_t now);

}  // namespace aks
