#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>

#include "core/cache_dir.h"
#include "core/token_cache.h"
#include "credential-plugin/cache_hit.h"
#include "credential-plugin/exec_credential.h"
#include "tests/unit/env_map.h"
#include "tests/unit/temp_dir.h"

using aks_test::TempDir;

using aks_test::env_of;

namespace {

constexpr std::int64_t kNow = 1750000000;
const std::string kTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

aks::Token fresh_token() {
    aks::Token t;
    t.access_token = "eyJhbGciOiJub25lIn0.eyJ1cG4iOiJhbGljZUBjb250b3NvLmNvbSJ9.c2ln";
    t.obtained_at = kNow - 100;
    t.expires_on = kNow + 3500;
    t.refresh_token = "refresh";
    return t;
}

std::vector<std::string> cmd(const std::string& command, std::vector<std::string> flags) {
    flags.insert(flags.begin(), command);
    return flags;
}

// A cache entry written the way the full binary would, for these flags.
struct Fixture {
    TempDir tmp;
    std::string dir = tmp.path + "/cache";
    std::vector<std::string> flags{"--login", "devicecode", "--tenant-id", kTenant, "--cache-dir", dir};
    aks::EnvLookup env = env_of({{"HOME", tmp.path}});
    aks::Token token = fresh_token();

    Fixture() {
        const auto parsed = aks::parse_login_args(flags, env);
        aks::TokenCache(dir).write(parsed.settings, token);
    }
};

}  // namespace

TEST_CASE("cache hit prints the ExecCredential and the bare token", "[cache_hit]") {
    Fixture f;
    const auto out = aks::try_cache_hit(cmd("get-token", f.flags), f.env, kNow);
    REQUIRE(out.has_value());
    CHECK(*out == aks::format_exec_credential(aks::ExecInfo{}, f.token));
    CHECK(out->find("client.authentication.k8s.io/v1beta1") != std::string::npos);

    const auto raw = aks::try_cache_hit(cmd("token", f.flags), f.env, kNow);
    REQUIRE(raw.has_value());
    CHECK(*raw == f.token.access_token + "\n");
}

TEST_CASE("cache hit answers in the apiVersion of KUBERNETES_EXEC_INFO", "[cache_hit]") {
    Fixture f;
    const std::string info =
        R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}})";
    const auto env = env_of({{"HOME", f.tmp.path}, {"KUBERNETES_EXEC_INFO", info}});
    const auto out = aks::try_cache_hit(cmd("get-token", f.flags), env, kNow);
    REQUIRE(out.has_value());
    CHECK(*out == aks::format_exec_credential(aks::parse_exec_info(info), f.token));
    CHECK(out->find(R"("apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false})") !=
          std::string::npos);

    // A bad KUBERNETES_EXEC_INFO is for the full binary to report.
    const auto bad = env_of({{"HOME", f.tmp.path}, {"KUBERNETES_EXEC_INFO", "{oops"}});
    CHECK_FALSE(aks::try_cache_hit(cmd("get-token", f.flags), bad, kNow));
    const auto alpha = env_of(
        {{"HOME", f.tmp.path}, {"KUBERNETES_EXEC_INFO", R"({"apiVersion":"client.authentication.k8s.io/v1alpha1"})"}});
    CHECK_FALSE(aks::try_cache_hit(cmd("get-token", f.flags), alpha, kNow));
    // `token` ignores it.
    CHECK(aks::try_cache_hit(cmd("token", f.flags), bad, kNow).has_value());
}

TEST_CASE("cache hit finds the default directory through KUBECACHEDIR and environment flags", "[cache_hit]") {
    TempDir tmp;
    const auto env = env_of({{"HOME", tmp.path}, {"KUBECACHEDIR", tmp.path + "/kc"}, {"AZURE_TENANT_ID", kTenant}});
    const auto parsed = aks::parse_login_args({}, env);
    aks::TokenCache(aks::resolve_cache_dir("", env)).write(parsed.settings, fresh_token());
    CHECK(aks::try_cache_hit({"get-token"}, env, kNow).has_value());
    // The same identity spelled with flags instead of the environment.
    CHECK(aks::try_cache_hit({"token", "-t", kTenant, "--login=devicecode"}, env_of({{"HOME", tmp.path},
                             {"KUBECACHEDIR", tmp.path + "/kc"}}), kNow)
              .has_value());
}

TEST_CASE("stale or expired tokens are not a cache hit", "[cache_hit]") {
    Fixture f;
    const std::int64_t expires = f.token.expires_on;
    CHECK(aks::try_cache_hit(cmd("get-token", f.flags), f.env, expires - 301).has_value());
    CHECK_FALSE(aks::try_cache_hit(cmd("get-token", f.flags), f.env, expires - 300));
    CHECK_FALSE(aks::try_cache_hit(cmd("get-token", f.flags), f.env, expires + 10));
    CHECK_FALSE(aks::try_cache_hit(cmd("token", f.flags), f.env, expires - 60));
}

TEST_CASE("other flags name another identity: no hit", "[cache_hit]") {
    Fixture f;
    const std::vector<std::string> other_tenant{"--tenant-id", "contoso.onmicrosoft.com", "--cache-dir", f.dir};
    CHECK_FALSE(aks::try_cache_hit(cmd("get-token", other_tenant), f.env, kNow));
    auto other_server = f.flags;
    other_server.insert(other_server.end(), {"--server-id", "11111111-2222-3333-4444-555555555555"});
    CHECK_FALSE(aks::try_cache_hit(cmd("get-token", other_server), f.env, kNow));
    auto other_host = f.flags;
    other_host.insert(other_host.end(), {"--environment", "AzureChinaCloud"});
    CHECK_FALSE(aks::try_cache_hit(cmd("get-token", other_host), f.env, kNow));
    auto other_dir = f.flags;
    other_dir.back() = f.tmp.path + "/elsewhere";
    CHECK_FALSE(aks::try_cache_hit(cmd("get-token", other_dir), f.env, kNow));
}

TEST_CASE("anything but a plain get-token/token goes to the full binary", "[cache_hit]") {
    Fixture f;
    CHECK_FALSE(aks::try_cache_hit({}, f.env, kNow));
    for (const char* command : {"login", "logout", "status", "whoami", "version", "--version", "--help", "frobnicate",
                                "GET-TOKEN"}) {
        INFO(command);
        CHECK_FALSE(aks::try_cache_hit(cmd(command, f.flags), f.env, kNow));
    }
    const std::vector<std::vector<std::string>> extras = {
        {"--help"}, {"-h"}, {"-v", "3"}, {"--v=2"}, {"--bogus"}, {"positional"}, {"--force"},
        {"--tenant-id"}, {"--login", "nonsense"}, {"--pop-enabled"}, {"--timeout", "soon"},
        // A context is resolved from the kubeconfig (yaml-cpp) by the full binary only.
        {"--context", "x"}, {"--kubeconfig", "/k"},
    };
    for (const auto& extra : extras) {
        auto args = cmd("get-token", f.flags);
        args.insert(args.end(), extra.begin(), extra.end());
        INFO(extra.front());
        CHECK_FALSE(aks::try_cache_hit(args, f.env, kNow));
    }
    // A missing tenant is a usage error for the full binary, never a crash here.
    CHECK_FALSE(aks::try_cache_hit({"get-token", "--cache-dir", f.dir}, f.env, kNow));
}

TEST_CASE("corrupt entries and unsafe directories are not a hit and never throw", "[cache_hit]") {
    Fixture f;
    const auto parsed = aks::parse_login_args(f.flags, f.env);
    const std::string path = aks::TokenCache(f.dir).entry_path(parsed.settings);

    REQUIRE(::chmod(f.dir.c_str(), 0777) == 0);
    CHECK_FALSE(aks::try_cache_hit(cmd("get-token", f.flags), f.env, kNow));
    REQUIRE(::chmod(f.dir.c_str(), 0700) == 0);
    CHECK(aks::try_cache_hit(cmd("get-token", f.flags), f.env, kNow).has_value());

    std::ofstream(path, std::ios::trunc) << "{\"schema\":";
    CHECK_FALSE(aks::try_cache_hit(cmd("get-token", f.flags), f.env, kNow));
}
