#include "core/managed_identity_flow.h"

#include <catch2/catch.hpp>
#include <map>

#include "core/errors.h"
#include "tests/unit/env_map.h"
#include "tests/unit/fake_idp.h"

namespace {

using aks_test::env_of;

}  // namespace

TEST_CASE("managed identity: endpoint per environment", "[managed_identity_flow]") {
    aks::ManagedIdentityRequest r{"6dae42f8-4368-4678-94ff-3960e28e3630", "", "", ""};
    auto e = aks::managed_identity_endpoint(r, env_of({}));
    CHECK(e.source == aks::ManagedIdentitySource::imds);
    CHECK(e.url ==
          "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=6dae42f8-4368-4678-94ff-3960e28e3630");

    r.client_id = "cid";
    e = aks::managed_identity_endpoint(r, env_of({{"AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:9/"}}));
    CHECK(e.url.rfind("http://127.0.0.1:9/metadata/identity/oauth2/token?api-version=2018-02-01&resource=", 0) == 0);
    CHECK(e.url.find("&client_id=cid") != std::string::npos);

    r = {"srv", "", "oid-1", ""};
    CHECK(aks::managed_identity_endpoint(r, env_of({})).url.find("&object_id=oid-1") != std::string::npos);
    r = {"srv", "", "", "/subscriptions/x/id"};
    CHECK(aks::managed_identity_endpoint(r, env_of({})).url.find("&msi_res_id=%2Fsubscriptions%2Fx%2Fid") !=
          std::string::npos);

    e = aks::managed_identity_endpoint(
        r, env_of({{"IDENTITY_ENDPOINT", "http://127.0.0.1:8081/msi/token"}, {"IDENTITY_HEADER", "h"}}));
    CHECK(e.source == aks::ManagedIdentitySource::app_service);
    CHECK(e.secret == "h");
    CHECK(e.url.find("api-version=2019-08-01&resource=srv&mi_res_id=") != std::string::npos);

    e = aks::managed_identity_endpoint(r, env_of({{"MSI_ENDPOINT", "http://localhost:50342/oauth2/token"}}));
    CHECK(e.source == aks::ManagedIdentitySource::cloud_shell);
    CHECK(e.url == "http://localhost:50342/oauth2/token");
}

TEST_CASE("managed identity: Metadata header, string numbers, retries of 404/410", "[managed_identity_flow]") {
    aks_test::LoopbackServer imds;
    int calls = 0;
    std::string metadata, resource;
    imds.server().Get("/metadata/identity/oauth2/token", [&](const httplib::Request& req, httplib::Response& res) {
        ++calls;
        metadata = req.get_header_value("Metadata");
        resource = req.get_param_value("resource");
        if (calls == 1) res.status = 404;
        else if (calls == 2) res.status = 410;
        else
            res.set_content(R"({"access_token":")" + aks_test::fake_jwt("mi", 1700086400) +
                                R"(","expires_in":"86399","expires_on":"1700086400","resource":"srv","token_type":"Bearer"})",
                            "application/json");
    });
    imds.start();
    aks_test::FakeTime time;
    auto options = aks_test::fast_http_options(time);
    options.first_backoff_ms = 1000;  // as login_flow sets it for IMDS
    aks::HttpClient http(options);
    const auto env = env_of({{"AZURE_POD_IDENTITY_AUTHORITY_HOST", imds.base_url()}});
    const auto t = aks::run_managed_identity_flow(http, {"srv", "", "", ""}, env, time.clock());
    CHECK(t.expires_on == 1700086400);
    CHECK(t.refresh_token.empty());
    CHECK(calls == 3);
    CHECK(metadata == "true");
    CHECK(resource == "srv");
    const auto sleeps = time.recorded();
    REQUIRE(sleeps.size() == 2);
    CHECK((sleeps[0] >= 1000 && sleeps[0] <= 1500));
    CHECK((sleeps[1] >= 2000 && sleeps[1] <= 3000));
}

TEST_CASE("managed identity: identity not found is one line with advice", "[managed_identity_flow]") {
    aks_test::LoopbackServer imds;
    imds.server().Get("/metadata/identity/oauth2/token", [&](const httplib::Request&, httplib::Response& res) {
        res.status = 400;
        res.set_content(R"({"error":"invalid_request","error_description":"Identity not found"})", "application/json");
    });
    imds.start();
    aks_test::FakeTime time;
    aks::HttpClient http(aks_test::fast_http_options(time));
    const auto env = env_of({{"AZURE_POD_IDENTITY_AUTHORITY_HOST", imds.base_url()}});
    try {
        aks::run_managed_identity_flow(http, {"srv", "cid-9", "", ""}, env, time.clock());
        FAIL("expected AuthError");
    } catch (const aks::AuthError& e) {
        const std::string m = e.what();
        CHECK(m.find("Identity not found") != std::string::npos);
        CHECK(m.find("client id cid-9") != std::string::npos);
        CHECK(m.find('\n') == std::string::npos);
    }
}
