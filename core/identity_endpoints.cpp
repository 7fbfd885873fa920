#include "core/identity_endpoints.h"

#include "core/url.h"

namespace aks {

IdentityEndpoints entra_endpoints(const LoginSettings& s) {
    // Like the Azure CLI, a missing tenant means "any work or school account".
    const std::string tenant = s.tenant_id.empty() ? "organizations" : percent_encode(s.tenant_id);
    const std::string base = s.authority_host + "/" + tenant + "/oauth2/v2.0/";
    return IdentityEndpoints{base + "devicecode", base + "token", base + "authorize"};
}

std::string user_flow_scope(const LoginSettings& s) {
    return s.server_id + "/.default openid offline_access profile";
}

}  // namespace aks
