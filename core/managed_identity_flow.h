#pragma once
// Managed identity: Azure's local token endpoints, never through a proxy
// (DESIGN.md "Identity"). Which endpoint is used follows the environment, as
// in the Azure SDKs: App Service / Functions (IDENTITY_ENDPOINT +
// IDENTITY_HEADER), Cloud Shell (MSI_ENDPOINT), else IMDS at
// AZURE_POD_IDENTITY_AUTHORITY_HOST or http://169.254.169.254.
#include <cstdint>
#include <string>

#include "core/clock.h"
#include "core/http_client.h"
#include "core/login_args.h"
#include "core/token.h"

namespace aks {

struct ManagedIdentityRequest {
    std::string resource;     // the server id, no "/.default"
    std::string client_id;    // user-assigned identity, by client id
    std::string object_id;    // ... or by object (principal) id
    std::string resource_id;  // ... or by ARM resource id
};

enum class ManagedIdentitySource { imds, app_service, cloud_shell };

struct ManagedIdentityEndpoint {
    ManagedIdentitySource source = ManagedIdentitySource::imds;
    std::string url;         // full request URL (query included for GET)
    std::string secret;      // App Service's X-IDENTITY-HEADER (never printed)
};

// The endpoint and request for this environment. Pure; exposed for tests.
ManagedIdentityEndpoint managed_identity_endpoint(const ManagedIdentityRequest& r, const EnvLookup& env);

// Requests the token; 404/410 count as transient besides 429/5xx (IMDS
// answers 404 while an identity is being assigned, 410 while it upgrades),
// so `http`'s retry policy covers them. `http` must have use_proxy = false.
// Throws AuthError with advice (identity not found), TransportError (no
// endpoint reachable, or unavailable after the retries).
Token run_managed_identity_flow(HttpClient& http, const ManagedIdentityRequest& r, const EnvLookup& env,
                                const Clock& clock);

}  // namespace aks
