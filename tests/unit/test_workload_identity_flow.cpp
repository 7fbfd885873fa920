#include "core/workload_identity_flow.h"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/errors.h"
#include "tests/unit/env_map.h"
#include "tests/unit/fake_idp.h"

using aks_test::FakeIdp;

namespace {

using aks_test::env_of;

struct TempFile {
    std::string path;
    explicit TempFile(const std::string& content) {
        char tmpl[] = "/tmp/aks-fedtoken-XXXXXX";
        const int fd = mkstemp(tmpl);
        REQUIRE(fd >= 0);
        ::close(fd);
        path = tmpl;
        std::ofstream(path) << content;
    }
    ~TempFile() { std::remove(path.c_str()); }
};

}  // namespace

TEST_CASE("workload identity: the federated token file is trimmed and checked", "[workload_identity_flow]") {
    TempFile f("  eyJhbGciOi.payload.sig\n");
    CHECK(aks::read_federated_token_file(f.path) == "eyJhbGciOi.payload.sig");
    TempFile empty(" \n");
    CHECK_THROWS_WITH(aks::read_federated_token_file(empty.path), Catch::Contains("is empty"));
    CHECK_THROWS_AS(aks::read_federated_token_file("/nonexistent/token"), aks::UsageError);
}

TEST_CASE("workload identity: file first, then GitHub Actions, else a usage error", "[workload_identity_flow]") {
    const auto gh = env_of({{"ACTIONS_ID_TOKEN_REQUEST_URL", "https://gh/x"}, {"ACTIONS_ID_TOKEN_REQUEST_TOKEN", "b"}});
    CHECK(aks::federated_token_source("/var/run/token", gh).file == "/var/run/token");
    const auto src = aks::federated_token_source("", gh);
    CHECK(src.file.empty());
    CHECK(src.github_url == "https://gh/x");
    CHECK_THROWS_WITH(aks::federated_token_source("", env_of({})), Catch::Contains("--federated-token-file"));
    CHECK_THROWS_AS(aks::federated_token_source("", env_of({{"ACTIONS_ID_TOKEN_REQUEST_URL", "u"}})), aks::UsageError);
}

TEST_CASE("workload identity: exchanges the token as a jwt-bearer assertion", "[workload_identity_flow]") {
    FakeIdp idp;
    aks_test::FakeTime time;
    aks::HttpClient http(aks_test::fast_http_options(time));
    idp.script_token({{200, aks_test::token_json(aks_test::fake_jwt("app", 1700003600), "", 3600)}});
    aks::LoginSettings s;
    s.authority_host = idp.authority();
    s.tenant_id = "t1";
    const auto t = aks::run_workload_identity_flow(http, aks::entra_endpoints(s), "app-1", "srv", "fed.jwt.token",
                                                   1700000000);
    CHECK(t.refresh_token.empty());
    const auto form = idp.token_forms().at(0);
    CHECK(FakeIdp::param(form, "client_assertion") == "fed.jwt.token");
    CHECK(FakeIdp::param(form, "scope") == "srv/.default");
    CHECK(FakeIdp::param(form, "client_id") == "app-1");
}

TEST_CASE("workload identity: GitHub Actions token request", "[workload_identity_flow]") {
    aks_test::LoopbackServer gh;
    std::string auth, audience, api;
    gh.server().Get("/token", [&](const httplib::Request& req, httplib::Response& res) {
        auth = req.get_header_value("Authorization");
        audience = req.get_param_value("audience");
        api = req.get_param_value("api-version");
        res.set_content(R"({"count":1,"value":"gh.oidc.token"})", "application/json");
    });
    gh.start();
    aks_test::FakeTime time;
    aks::HttpClient http(aks_test::fast_http_options(time));
    aks::FederatedTokenSource src{"", gh.base_url() + "/token?api-version=2.0", "req-token"};
    CHECK(aks::fetch_github_actions_token(http, src) == "gh.oidc.token");
    CHECK(auth == "bearer req-token");
    CHECK(audience == "api://AzureADTokenExchange");
    CHECK(api == "2.0");
}
