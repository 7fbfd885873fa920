#include "core/oidc_discovery.h"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "core/errors.h"
#include "tests/unit/fake_idp.h"
#include "tests/unit/temp_dir.h"

using aks_test::TempDir;

namespace {

std::string doc(const std::string& issuer) {
    return R"({"issuer":")" + issuer + R"(","authorization_endpoint":")" + issuer + R"(/auth","token_endpoint":")" +
           issuer + R"(/token","device_authorization_endpoint":")" + issuer + R"(/device/auth"})";
}

}  // namespace

TEST_CASE("oidc discovery: endpoints and the issuer check", "[oidc_discovery]") {
    const auto e = aks::parse_oidc_discovery("https://idp.example", doc("https://idp.example/"));
    CHECK(e.authorize == "https://idp.example//auth");
    CHECK(e.token == "https://idp.example//token");
    CHECK(e.device_code == "https://idp.example//device/auth");
    CHECK_THROWS_WITH(aks::parse_oidc_discovery("https://idp.example", doc("https://evil.example")),
                      Catch::Contains("names another issuer"));
    CHECK_THROWS_AS(aks::parse_oidc_discovery("https://idp.example", "<html>"), aks::AuthError);
    CHECK_THROWS_WITH(aks::parse_oidc_discovery("https://i", R"({"issuer":"https://i"})"),
                      Catch::Contains("no token_endpoint"));
    // An https issuer whose document sends the code or refresh token over http: refused.
    CHECK_THROWS_WITH(aks::parse_oidc_discovery("https://idp.example",
                                                R"({"issuer":"https://idp.example","token_endpoint":"http://idp.example/t"})"),
                      Catch::Contains("not https"));
    CHECK_THROWS_WITH(aks::parse_oidc_discovery("https://idp.example",
                                                R"({"issuer":"https://idp.example","token_endpoint":"https://idp.example/t",)"
                                                R"("authorization_endpoint":"http://idp.example/a"})"),
                      Catch::Contains("not https"));
    CHECK(aks::oidc_scope("") == "openid offline_access");
    CHECK(aks::oidc_scope("groups kube") == "openid offline_access groups kube");
}

TEST_CASE("oidc discovery: fetched once, cached for a day", "[oidc_discovery]") {
    aks_test::LoopbackServer idp;
    int fetches = 0;
    std::string issuer;
    idp.server().Get("/.well-known/openid-configuration", [&](const httplib::Request&, httplib::Response& res) {
        ++fetches;
        res.set_content(doc(issuer), "application/json");
    });
    idp.start();
    issuer = idp.base_url();
    TempDir dir;
    aks_test::FakeTime time;
    aks::HttpClient http(aks_test::fast_http_options(time));
    CHECK(aks::discover_oidc_endpoints(http, issuer, dir.path, time.clock()).token == issuer + "/token");
    CHECK(aks::discover_oidc_endpoints(http, issuer, dir.path, time.clock()).token == issuer + "/token");
    CHECK(fetches == 1);
    int files = 0;
    for (const auto& f : std::filesystem::directory_iterator(dir.path)) {
        ++files;
        CHECK((f.status().permissions() & std::filesystem::perms::all) ==
              (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
        CHECK(f.path().string().find(".tmp.") == std::string::npos);
    }
    CHECK(files == 1);
    *time.now += aks::kDiscoveryCacheSeconds;
    aks::discover_oidc_endpoints(http, issuer, dir.path, time.clock());
    CHECK(fetches == 2);
    // No cache directory: always fetched.
    aks::discover_oidc_endpoints(http, issuer, "", time.clock());
    CHECK(fetches == 3);
    // A damaged cache file is a miss.
    for (const auto& f : std::filesystem::directory_iterator(dir.path)) {
        std::ofstream(f.path()) << std::to_string(time.now->load()) << "\nnot json";
    }
    CHECK(aks::discover_oidc_endpoints(http, issuer, dir.path, time.clock()).token == issuer + "/token");
    CHECK(fetches == 4);
}
