#include "core/client_credentials_flow.h"

#include <catch2/catch.hpp>

#include "core/errors.h"
#include "core/identity_endpoints.h"
#include "tests/unit/fake_idp.h"

using aks_test::FakeIdp;
using aks_test::token_json;

namespace {

struct Fixture {
    FakeIdp idp;
    aks_test::FakeTime time;
    aks::HttpClient http{aks_test::fast_http_options(time)};
    std::string token_url() const { return idp.authority() + "/t1/oauth2/v2.0/token"; }
};

}  // namespace

TEST_CASE("client credentials: secret form, /.default scope, no refresh token kept", "[client_credentials_flow]") {
    Fixture f;
    f.idp.script_token({{200, token_json(aks_test::fake_jwt("app", 1700003600), "rt-unexpected", 3600)}});
    const auto t = aks::run_client_credentials_flow(f.http, f.token_url(), {"app-1", "s3cret", ""},
                                                    aks::app_scope("srv"), "service principal sign-in failed",
                                                    1700000000);
    CHECK(t.refresh_token.empty());
    CHECK(t.expires_on == 1700003600);
    const auto form = f.idp.token_forms().at(0);
    CHECK(FakeIdp::param(form, "grant_type") == "client_credentials");
    CHECK(FakeIdp::param(form, "client_id") == "app-1");
    CHECK(FakeIdp::param(form, "client_secret") == "s3cret");
    CHECK(FakeIdp::param(form, "scope") == "srv/.default");
    CHECK(form.count("client_assertion") == 0);
}

TEST_CASE("client credentials: assertion form", "[client_credentials_flow]") {
    Fixture f;
    f.idp.script_token({{200, token_json(aks_test::fake_jwt("app", 1700003600), "", 3600)}});
    aks::run_client_credentials_flow(f.http, f.token_url(), {"app-1", "", "a.b.c"}, "srv/.default", "x", 1700000000);
    const auto form = f.idp.token_forms().at(0);
    CHECK(FakeIdp::param(form, "client_assertion") == "a.b.c");
    CHECK(FakeIdp::param(form, "client_assertion_type") ==
          "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    CHECK(form.count("client_secret") == 0);
}

TEST_CASE("client credentials: a wrong secret gives one line with the advice", "[client_credentials_flow]") {
    Fixture f;
    f.idp.script_token({{401, R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215]})"}});
    try {
        aks::run_client_credentials_flow(f.http, f.token_url(), {"app-1", "wrong-s3cret", ""}, "srv/.default",
                                         "service principal sign-in failed", 1700000000);
        FAIL("expected AuthError");
    } catch (const aks::AuthError& e) {
        const std::string m = e.what();
        CHECK(m.find("service principal sign-in failed") != std::string::npos);
        CHECK(m.find("7000215") != std::string::npos);
        CHECK(m.find("secret is invalid") != std::string::npos);
        CHECK(m.find("wrong-s3cret") == std::string::npos);
        CHECK(m.find('\n') == std::string::npos);
    }
}
