#include "core/refresh_flow.h"

#include <catch2/catch.hpp>

#include "core/errors.h"
#include "tests/unit/fake_idp.h"

using aks_test::FakeIdp;
using aks_test::FakeTime;
using aks_test::token_json;

namespace {

struct Fixture {
    FakeIdp idp;
    FakeTime time;
    aks::HttpClient http{aks_test::fast_http_options(time)};
    aks::IdentityEndpoints endpoints() {
        aks::LoginSettings s;
        s.authority_host = idp.authority();
        s.tenant_id = "t1";
        return aks::entra_endpoints(s);
    }
    aks::Token redeem(const std::string& rt) {
        return aks::redeem_refresh_token(http, endpoints(), "client-1", "srv/.default openid offline_access profile", rt,
                                         1700000000);
    }
};

}  // namespace

TEST_CASE("refresh: sends the refresh grant and stores the rotated refresh token", "[refresh_flow]") {
    Fixture f;
    const std::string access = aks_test::fake_jwt("oid-1", 1700003600);
    f.idp.script_token({{200, token_json(access, "rt-2", 3600)}});
    const auto t = f.redeem("rt-1");
    CHECK(t.access_token == access);
    CHECK(t.refresh_token == "rt-2");
    CHECK(t.expires_on == 1700003600);
    const auto forms = f.idp.token_forms();
    REQUIRE(forms.size() == 1);
    CHECK(FakeIdp::param(forms[0], "grant_type") == "refresh_token");
    CHECK(FakeIdp::param(forms[0], "client_id") == "client-1");
    CHECK(FakeIdp::param(forms[0], "refresh_token") == "rt-1");
    CHECK(FakeIdp::param(forms[0], "scope") == "srv/.default openid offline_access profile");
}

TEST_CASE("refresh: keeps the old refresh token when none comes back", "[refresh_flow]") {
    Fixture f;
    f.idp.script_token({{200, token_json(aks_test::fake_jwt("oid-1", 1700003600), "", 3600)}});
    CHECK(f.redeem("rt-1").refresh_token == "rt-1");
}

TEST_CASE("refresh: invalid_grant is an AuthError with advice and without the token", "[refresh_flow]") {
    Fixture f;
    f.idp.script_token({{400, R"({"error":"invalid_grant","error_description":"AADSTS700082: The refresh token has expired due to inactivity.","error_codes":[700082],"trace_id":"tr-9"})"}});
    try {
        f.redeem("rt-very-secret");
        FAIL("expected AuthError");
    } catch (const aks::AuthError& e) {
        const std::string msg = e.what();
        CHECK(msg == "refreshing the token failed: AADSTS700082 (invalid_grant): The refresh token has expired due to "
                     "inactivity. Advice: the refresh token expired or was revoked: sign in again with 'aks-token "
                     "login' (trace id tr-9)");
        CHECK(msg.find("rt-very-secret") == std::string::npos);
    }
}

TEST_CASE("refresh: a 5xx without an OAuth body is a TransportError", "[refresh_flow]") {
    Fixture f;
    f.idp.set_token_default(502, "<html>bad gateway</html>");
    CHECK_THROWS_AS(f.redeem("rt-1"), aks::TransportError);
    CHECK(f.idp.token_requests() == 3);
}
