#include "core/identity_endpoints.h"

#include <catch2/catch.hpp>

TEST_CASE("Entra v2 endpoints under the authority host and tenant", "[identity_endpoints]") {
    aks::LoginSettings s;
    s.authority_host = "https://login.microsoftonline.com";
    s.tenant_id = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    s.server_id = "6dae42f8-4368-4678-94ff-3960e28e3630";
    const auto e = aks::entra_endpoints(s);
    const std::string base = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/";
    CHECK(e.device_code == base + "devicecode");
    CHECK(e.token == base + "token");
    CHECK(e.authorize == base + "authorize");
    CHECK(aks::user_flow_scope(s) == "6dae42f8-4368-4678-94ff-3960e28e3630/.default openid offline_access profile");
}

TEST_CASE("other clouds, loopback test hosts and a missing tenant", "[identity_endpoints]") {
    aks::LoginSettings s;
    s.authority_host = "https://login.chinacloudapi.cn";
    s.tenant_id = "contoso.onmicrosoft.com";
    CHECK(aks::entra_endpoints(s).token == "https://login.chinacloudapi.cn/contoso.onmicrosoft.com/oauth2/v2.0/token");

    s.authority_host = "http://127.0.0.1:4567";
    s.tenant_id.clear();
    CHECK(aks::entra_endpoints(s).device_code == "http://127.0.0.1:4567/organizations/oauth2/v2.0/devicecode");
}
