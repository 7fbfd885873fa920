#pragma once
// Where the identity provider's endpoints are and which scopes to ask for.
#include <string>

#include "core/login_settings.h"

namespace aks {

struct IdentityEndpoints {
    std::string device_code;     // {authority}/{tenant}/oauth2/v2.0/devicecode
    std::string token;           // {authority}/{tenant}/oauth2/v2.0/token
    std::string authorize;       // {authority}/{tenant}/oauth2/v2.0/authorize
};

IdentityEndpoints entra_endpoints(const LoginSettings& s);

// "<server-id>/.default openid offline_access profile" for user flows.
std::string user_flow_scope(const LoginSettings& s);

}  // namespace aks
