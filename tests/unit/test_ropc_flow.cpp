#include "core/ropc_flow.h"

#include <catch2/catch.hpp>

#include "core/errors.h"
#include "tests/unit/fake_idp.h"

using aks_test::FakeIdp;

TEST_CASE("ropc: password grant with the user-flow scope, refresh token kept", "[ropc_flow]") {
    FakeIdp idp;
    aks_test::FakeTime time;
    aks::HttpClient http(aks_test::fast_http_options(time));
    aks::LoginSettings s;
    s.authority_host = idp.authority();
    s.tenant_id = "t1";
    idp.script_token({{200, aks_test::token_json(aks_test::fake_jwt("u", 1700003600), "rt-1", 3600)},
                      {400, R"({"error":"invalid_grant","error_description":"AADSTS50126: Error validating credentials.","error_codes":[50126]})"}});
    aks::RopcParams p{aks::entra_endpoints(s), "client-1", "srv/.default openid offline_access profile", "u@x", "pw-secret"};
    const auto t = aks::run_ropc_flow(http, p, 1700000000);
    CHECK(t.refresh_token == "rt-1");
    const auto form = idp.token_forms().at(0);
    CHECK(FakeIdp::param(form, "grant_type") == "password");
    CHECK(FakeIdp::param(form, "username") == "u@x");
    CHECK(FakeIdp::param(form, "password") == "pw-secret");
    CHECK(FakeIdp::param(form, "scope") == "srv/.default openid offline_access profile");
    try {
        aks::run_ropc_flow(http, p, 1700000000);
        FAIL("expected AuthError");
    } catch (const aks::AuthError& e) {
        CHECK(std::string(e.what()).find("wrong username or password") != std::string::npos);
        CHECK(std::string(e.what()).find("pw-secret") == std::string::npos);
    }
}
