#include "core/cli_token_flow.h"

#include <catch2/catch.hpp>

#include "core/base64url.h"
#include "core/errors.h"
#include "tests/unit/fake_idp.h"

namespace {

struct FakeRunner {
    aks::ProcessResult result;
    std::vector<std::string> argv;
    std::int64_t timeout = 0;
    aks::ProcessRunner runner() {
        return [this](const std::vector<std::string>& a, std::int64_t t) {
            argv = a;
            timeout = t;
            return result;
        };
    }
};

aks::LoginSettings settings() {
    aks::LoginSettings s;
    s.login_mode = "azurecli";
    s.server_id = "6dae42f8-4368-4678-94ff-3960e28e3630";
    return s;
}

}  // namespace

TEST_CASE("azurecli: runs az with --resource and uses expires_on", "[cli_token_flow]") {
    FakeRunner r;
    const std::string jwt = aks_test::fake_jwt("oid-az", 1700009999);
    r.result = {true, false, 0, R"({"accessToken":")" + jwt + R"(","expiresOn":"2023-11-14 23:13:20.000000","expires_on":1700003600,"tenant":"t1","tokenType":"Bearer"})", ""};
    auto s = settings();
    s.tenant_id = "t1";
    const auto t = aks::run_azure_cli_flow(s, r.runner(), 1700000000);
    CHECK(r.argv == std::vector<std::string>{"az", "account", "get-access-token", "--resource",
                                             "6dae42f8-4368-4678-94ff-3960e28e3630", "-o", "json", "--tenant", "t1"});
    CHECK(r.timeout == aks::kCliDefaultTimeout);
    CHECK(t.access_token == jwt);
    CHECK(t.expires_on == 1700003600);
    CHECK(t.refresh_token.empty());
    CHECK(t.claims.oid == "oid-az");
}

TEST_CASE("azurecli: --subscription replaces --tenant, which az refuses alongside it", "[cli_token_flow]") {
    auto s = settings();
    s.tenant_id = "t1";
    s.subscription = "sub-1";
    CHECK(aks::azure_cli_command(s) == std::vector<std::string>{"az", "account", "get-access-token", "--resource",
                                                                "6dae42f8-4368-4678-94ff-3960e28e3630", "-o", "json",
                                                                "--subscription", "sub-1"});
}

TEST_CASE("azurecli: az's own error, advice, timeout, not installed", "[cli_token_flow]") {
    FakeRunner r;
    auto s = settings();
    r.result = {true, false, 1, "", "WARNING: x\nERROR: AADSTS70043: The refresh token has expired.\n"};
    CHECK_THROWS_WITH(aks::run_azure_cli_flow(s, r.runner(), 0),
                      Catch::Contains("ERROR: AADSTS70043") && Catch::Contains("Advice: run 'az login'"));
    r.result = {true, true, -1, "", ""};
    s.timeout_seconds = 7;
    CHECK_THROWS_WITH(aks::run_azure_cli_flow(s, r.runner(), 0), Catch::Contains("within 7s"));
    CHECK(r.timeout == 7);
    r.result = {false, false, -1, "", ""};
    CHECK_THROWS_AS(aks::run_azure_cli_flow(s, r.runner(), 0), aks::UsageError);
    // A token in az's error output never reaches our message.
    const std::string leaked = aks_test::fake_jwt("oid-leak", 1700009999);
    r.result = {true, false, 1, R"({"accessToken":")" + leaked + "\"}",
                "ERROR: refresh token 0.AXoAqX8abcdefghijklmnopqrstuvwxyz0123456789 and " + leaked +
                    " for 6dae42f8-4368-4678-94ff-3960e28e3630 rejected\n"};
    try {
        aks::run_azure_cli_flow(s, r.runner(), 0);
        FAIL("no error");
    } catch (const aks::AuthError& e) {
        const std::string what = e.what();
        CHECK(what.find(leaked) == std::string::npos);
        CHECK(what.find("0.AXoAqX8") == std::string::npos);
        CHECK(what.find("[redacted]") != std::string::npos);
        CHECK(what.find("6dae42f8-4368-4678-94ff-3960e28e3630 rejected") != std::string::npos);
    }
    r.result = {true, false, 0, R"({"tokenType":"Bearer"})", ""};
    CHECK_THROWS_WITH(aks::run_azure_cli_flow(s, r.runner(), 0), Catch::Contains("printed no accessToken"));
    r.result = {true, false, 0, "Traceback ...", ""};
    CHECK_THROWS_WITH(aks::run_azure_cli_flow(s, r.runner(), 0), Catch::Contains("not a JSON token"));
}

TEST_CASE("azd: runs azd auth token with the .default scope", "[cli_token_flow]") {
    FakeRunner r;
    const std::string jwt = aks_test::fake_jwt("oid-azd", 1700009999);
    r.result = {true, false, 0, R"({"token":")" + jwt + R"(","expiresOn":"2023-11-14T23:13:20Z"})", ""};
    auto s = settings();
    s.login_mode = "azd";
    const auto t = aks::run_azd_flow(s, r.runner(), 1700000000);
    CHECK(r.argv == std::vector<std::string>{"azd", "auth", "token", "--output", "json", "--scope",
                                             "6dae42f8-4368-4678-94ff-3960e28e3630/.default"});
    CHECK(t.expires_on == 1700003600);
    r.result = {true, false, 1, "", "ERROR: not logged in, run `azd auth login` to login\n"};
    CHECK_THROWS_WITH(aks::run_azd_flow(s, r.runner(), 0), Catch::Contains("azd auth login"));
}

TEST_CASE("rfc3339 parsing", "[cli_token_flow]") {
    CHECK(aks::parse_rfc3339("2023-11-14T22:13:20Z") == 1700000000);
    CHECK(aks::parse_rfc3339("2023-11-14T22:13:20.123456Z") == 1700000000);
    CHECK(aks::parse_rfc3339("2023-11-14T23:13:20+01:00") == 1700000000);
    CHECK_FALSE(aks::parse_rfc3339("2023-11-14 22:13:20"));
    CHECK_FALSE(aks::parse_rfc3339(""));
}
