#pragma once
// OAuth client credentials grant: a service principal (secret or signed
// assertion) or a workload identity (federated token as the assertion).
#include <cstdint>
#include <string>

#include "core/http_client.h"
#include "core/token.h"

namespace aks {

struct ClientCredentials {
    std::string client_id;
    std::string client_secret;     // either this ...
    std::string client_assertion;  // ... or a JWT (jwt-bearer)
};

// "<server-id>/.default": the only scope the client credentials grant accepts.
std::string app_scope(const std::string& server_id);

// POST token_endpoint grant_type=client_credentials. No refresh token is
// kept. `what` starts the error line ("service principal sign-in failed").
// Throws AuthError (with AADSTS advice) or TransportError.
Token run_client_credentials_flow(HttpClient& http, const std::string& token_endpoint, const ClientCredentials& c,
                                  const std::string& scope, const std::string& what, std::int64_t now);

}  // namespace aks
