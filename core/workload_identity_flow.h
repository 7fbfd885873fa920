#pragma once
// Workload identity federation: a token someone else issued (the AKS
// webhook's projected service account token, GitHub Actions' OIDC token) is
// exchanged at Entra as a client assertion.
#include <cstdint>
#include <string>

#include "core/http_client.h"
#include "core/identity_endpoints.h"
#include "core/login_args.h"
#include "core/token.h"

namespace aks {

constexpr const char* kTokenExchangeAudience = "api://AzureADTokenExchange";

// Where the federated token comes from: the file (re-read on every token
// request, since the kubelet rotates it) or GitHub Actions' token endpoint.
struct FederatedTokenSource {
    std::string file;             // --federated-token-file / AZURE_FEDERATED_TOKEN_FILE
    std::string github_url;       // ACTIONS_ID_TOKEN_REQUEST_URL
    std::string github_bearer;    // ACTIONS_ID_TOKEN_REQUEST_TOKEN (never printed)
};

// File wins over GitHub Actions. Throws UsageError when neither is configured.
FederatedTokenSource federated_token_source(const std::string& file_setting, const EnvLookup& env);

// The token in the file, surrounding whitespace removed. Throws UsageError
// when the file is unreadable or empty.
std::string read_federated_token_file(const std::string& path);

// GET <url>&audience=api://AzureADTokenExchange with "Authorization: bearer".
// Throws AuthError / TransportError.
std::string fetch_github_actions_token(HttpClient& http, const FederatedTokenSource& src);

// Client credentials with the federated token as assertion; scope <server-id>/.default.
Token run_workload_identity_flow(HttpClient& http, const IdentityEndpoints& endpoints, const std::string& client_id,
                                 const std::string& server_id, const std::string& federated_token, std::int64_t now);

}  // namespace aks
