#include "core/login_flow.h"

#include <catch2/catch.hpp>

#include "core/errors.h"

namespace {

aks::LoginSettings mode(const std::string& m) {
    aks::LoginSettings s;
    s.login_mode = m;
    return s;
}

const aks::EnvLookup kNoEnv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };

}  // namespace

TEST_CASE("login flow: who has to take part in each mode", "[login_flow]") {
    CHECK(aks::presence_needed(mode("devicecode")) == aks::Presence::terminal);
    CHECK(aks::presence_needed(mode("interactive")) == aks::Presence::browser);
    for (const char* m : {"spn", "msi", "workloadidentity", "azurecli", "azd", "ropc"})
        CHECK(aks::presence_needed(mode(m)) == aks::Presence::none);
    CHECK(aks::uses_refresh_token(mode("ropc")));
    CHECK(aks::uses_refresh_token(mode("devicecode")));
    CHECK_FALSE(aks::uses_refresh_token(mode("spn")));
    CHECK_FALSE(aks::uses_refresh_token(mode("msi")));
    CHECK_FALSE(aks::uses_refresh_token(mode("azurecli")));
}

TEST_CASE("login flow: inputs are checked before anything runs", "[login_flow]") {
    auto s = mode("spn");
    s.client_certificate = "/nonexistent/cert.pem";
    CHECK_THROWS_AS(aks::prepare_login(s, kNoEnv), aks::UsageError);
    s = mode("workloadidentity");
    CHECK_THROWS_WITH(aks::prepare_login(s, kNoEnv), Catch::Contains("--federated-token-file"));
    s = mode("ropc");
    s.username = "u";
    CHECK_THROWS_WITH(aks::prepare_login(s, kNoEnv), Catch::Contains("--password is required"));
    s.password = "p";
    CHECK_NOTHROW(aks::prepare_login(s, kNoEnv));
    CHECK_NOTHROW(aks::prepare_login(mode("msi"), kNoEnv));
}
