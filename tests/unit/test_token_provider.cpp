#include <catch2/catch.hpp>

#include <stdlib.h>
#include <sys/stat.h>

#include <cstdlib>
#include <sstream>
#include <string>

#include "core/login_args.h"
#include "core/token_cache.h"
#include "local-proxy/token_provider.h"
#include "tests/unit/temp_dir.h"

using aks_test::TempDir;

namespace {

aks::LoginSettings settings(const std::string& cache_dir) {
    aks::EnvLookup no_env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    auto s = aks::parse_login_args({"--tenant-id", "72f988bf-86f1-41af-91ab-2d7cd011db47"}, no_env).settings;
    s.cache_dir = cache_dir;
    return s;
}

aks::Token token(const std::string& value, std::int64_t obtained, std::int64_t expires) {
    aks::Token t;
    t.access_token = value;
    t.obtained_at = obtained;
    t.expires_on = expires;
    return t;
}

}  // namespace

TEST_CASE("TokenProvider: a fresh cached token is used and injected as Bearer", "[token_provider]") {
    TempDir dir;
    const std::string cache_dir = dir.path + "/cache";
    std::int64_t now = 1'000'000;
    const auto s = settings(cache_dir);
    aks::TokenCache(cache_dir).write(s, token("cached-token", now, now + 3600));

    std::ostringstream log;
    aks::proxy::TokenProviderOptions o;
    o.settings = s;
    o.cache_dir = cache_dir;
    o.login_command = "aks-token login --context c";
    o.log = &log;
    o.clock = [&] { return now; };
    aks::proxy::TokenProvider p(o);
    REQUIRE(p.load_initial());
    REQUIRE(p.authorization());
    CHECK(*p.authorization() == "Bearer cached-token");

    now += 3600;  // expired: nothing is injected
    CHECK_FALSE(p.authorization());
    CHECK(log.str().find("cached-token") == std::string::npos);
}

TEST_CASE("TokenProvider: no token → 401 message; a login by another process is picked up", "[token_provider]") {
    TempDir dir;
    const std::string cache_dir = dir.path + "/cache";
    std::int64_t now = 2'000'000;
    const auto s = settings(cache_dir);

    std::ostringstream log;
    aks::proxy::TokenProviderOptions o;
    o.settings = s;
    o.cache_dir = cache_dir;
    o.login_command = "aks-token login --context prod";
    o.log = &log;
    o.clock = [&] { return now; };
    aks::proxy::TokenProvider p(o);
    CHECK_FALSE(p.load_initial());  // device code needs a terminal
    CHECK_FALSE(p.authorization());
    CHECK(log.str().find("aks-token login --context prod") != std::string::npos);
    CHECK(p.missing_token_message().find("aks-token login --context prod") != std::string::npos);

    p.tick();  // nothing written yet
    CHECK_FALSE(p.authorization());

    aks::TokenCache(cache_dir).write(s, token("from-aks-token-login", now, now + 3600));
    p.tick();
    REQUIRE(p.authorization());
    CHECK(*p.authorization() == "Bearer from-aks-token-login");

    // Rewritten again (another refresh): the new token replaces the old one.
    aks::TokenCache(cache_dir).write(s, token("rewritten", now + 10, now + 3610));
    p.tick();
    REQUIRE(p.authorization());
    CHECK(*p.authorization() == "Bearer rewritten");
}
