#pragma once
// Resource owner password credentials (deprecated by Microsoft; kept for
// kubelogin compatibility): username and password sent to the token endpoint.
// Fails for accounts with MFA or federated sign-in.
#include <cstdint>
#include <string>

#include "core/http_client.h"
#include "core/identity_endpoints.h"
#include "core/token.h"

namespace aks {

struct RopcParams {
    IdentityEndpoints endpoints;
    std::string client_id, scope, username, password;
};

// Throws AuthError (AADSTS50126 wrong password, 50076 MFA, ... with advice)
// or TransportError. Keeps the refresh token Entra returns.
Token run_ropc_flow(HttpClient& http, const RopcParams& p, std::int64_t now);

}  // namespace aks
