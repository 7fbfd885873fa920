#include <catch2/catch.hpp>
#include <picojson.h>

#include "core/cloud.h"
#include "core/errors.h"
#include "credential-plugin/cli_options.h"
#include "credential-plugin/command_flags.h"
#include "credential-plugin/status_format.h"
#include "tests/unit/env_map.h"

using aks_test::env_of;

namespace {

using Args = std::vector<std::string>;

}  // namespace

TEST_CASE("global verbosity is taken from anywhere", "[cli]") {
    Args a{"get-token", "-v", "4", "--tenant-id", "t"};
    CHECK(aks::take_global_options(a).verbosity == 4);
    CHECK(a == Args{"get-token", "--tenant-id", "t"});

    a = {"--v=2", "status"};
    CHECK(aks::take_global_options(a).verbosity == 2);
    CHECK(a == Args{"status"});

    a = {"login", "-v3", "--v", "1"};
    CHECK(aks::take_global_options(a).verbosity == 1);  // last wins
    CHECK(a == Args{"login"});

    a = {"token", "-v=0"};
    CHECK(aks::take_global_options(a).verbosity == 0);
    CHECK(a == Args{"token"});

    a = {"token", "--", "-v", "1"};
    CHECK(aks::take_global_options(a).verbosity == 0);
    CHECK(a == Args{"token", "--", "-v", "1"});

    for (Args bad : {Args{"-v"}, Args{"-v", "x"}, Args{"--v=-1"}, Args{"--v", "1000"}}) {
        CHECK_THROWS_AS(aks::take_global_options(bad), aks::UsageError);
    }
}

TEST_CASE("help, flags and options", "[cli]") {
    CHECK(aks::wants_help({"--tenant-id", "t", "-h"}));
    CHECK(aks::wants_help({"--help"}));
    CHECK_FALSE(aks::wants_help({"--", "--help"}));
    CHECK_FALSE(aks::wants_help({"--helpful"}));

    Args a{"--force", "-t", "x", "--force"};
    CHECK(aks::take_flag(a, aks::flags::force()));
    CHECK(a == Args{"-t", "x"});
    CHECK_FALSE(aks::take_flag(a, aks::flags::force()));
    Args bad{"--force=yes"};
    CHECK_THROWS_AS(aks::take_flag(bad, aks::flags::force()), aks::UsageError);

    a = {"-o", "json", "--tenant-id", "t"};
    CHECK(aks::take_option(a, aks::flags::status_output()) == std::optional<std::string>("json"));
    CHECK(a == Args{"--tenant-id", "t"});
    a = {"--output=text", "x"};
    CHECK(aks::take_option(a, aks::flags::status_output()) == std::optional<std::string>("text"));
    CHECK(a == Args{"x"});
    a = {"-o=json"};
    CHECK(aks::take_option(a, aks::flags::status_output()) == std::optional<std::string>("json"));
    a = {"x"};
    CHECK_FALSE(aks::take_option(a, aks::flags::status_output()));
    a = {"--output"};
    CHECK_THROWS_AS(aks::take_option(a, aks::flags::status_output()), aks::UsageError);
}

TEST_CASE("shell quoting", "[cli]") {
    CHECK(aks::shell_quote("abc-1.2/x@y") == "abc-1.2/x@y");
    CHECK(aks::shell_quote("https://127.0.0.1:8443") == "https://127.0.0.1:8443");
    CHECK(aks::shell_quote("") == "''");
    CHECK(aks::shell_quote("a b") == "'a b'");
    CHECK(aks::shell_quote("it's") == "'it'\\''s'");
    CHECK(aks::shell_quote("$HOME") == "'$HOME'");
}

TEST_CASE("login command line names the identity and cache, never secrets", "[cli]") {
    aks::LoginSettings s;
    s.login_mode = "devicecode";
    s.tenant_id = "contoso.onmicrosoft.com";
    s.server_id = aks::kAksServerId;
    s.client_id = aks::kAksClientId;
    s.authority_host = "https://login.microsoftonline.com";
    s.password = "hunter2";
    s.client_secret = "s3cret";
    s.client_certificate_password = "pfxpass";
    const auto env = env_of({{"HOME", "/home/u"}});
    CHECK(aks::login_command_line(s, env) ==
          "aks-token login --login devicecode --server-id 6dae42f8-4368-4678-94ff-3960e28e3630 "
          "--tenant-id contoso.onmicrosoft.com");

    s.authority_host = "https://127.0.0.1:8443";
    s.cache_dir = "/tmp/my cache";
    s.client_id = "11111111-1111-1111-1111-111111111111";
    const std::string line = aks::login_command_line(s, env);
    CHECK(line.find("--authority-host https://127.0.0.1:8443") != std::string::npos);
    CHECK(line.find("--cache-dir '/tmp/my cache'") != std::string::npos);
    CHECK(line.find("--client-id 11111111-1111-1111-1111-111111111111") != std::string::npos);
    for (const char* secret : {"hunter2", "s3cret", "pfxpass", "--password", "--client-secret"}) {
        CHECK(line.find(secret) == std::string::npos);
    }

    // kubectl's exec env may set KUBECACHEDIR; the user's shell may not.
    s.cache_dir.clear();
    s.authority_host = "https://login.chinacloudapi.cn";
    s.environment = "AzureChinaCloud";
    const std::string china = aks::login_command_line(s, env_of({{"HOME", "/h"}, {"KUBECACHEDIR", "/k"}}));
    CHECK(china.find("--environment AzureChinaCloud") != std::string::npos);
    CHECK(china.find("--authority-host") == std::string::npos);
    CHECK(china.find("--cache-dir /k/aks-auth") != std::string::npos);
}

TEST_CASE("durations", "[cli]") {
    CHECK(aks::format_duration(-5) == "0s");
    CHECK(aks::format_duration(45) == "45s");
    CHECK(aks::format_duration(53 * 60 + 59) == "53m");
    CHECK(aks::format_duration(3600 + 5 * 60) == "1h 05m");
    CHECK(aks::format_duration(2 * 86400 + 3 * 3600 + 7) == "2d 3h");
}

namespace {

aks::CacheEntry entry(std::int64_t now) {
    aks::CacheEntry e;
    e.path = "/c/abc.json";
    e.key = {"https://login.microsoftonline.com", "tid-1", aks::kAksClientId, aks::kAksServerId, "devicecode", ""};
    e.token.access_token = "SECRET-ACCESS-TOKEN";
    e.token.refresh_token = "SECRET-REFRESH-TOKEN";
    e.token.obtained_at = now - 600;
    e.token.expires_on = now + 53 * 60 + 10;
    e.token.claims.upn = "alice@contoso.com";
    e.token.claims.tid = "tid-1";
    e.token.claims.aud = aks::kAksServerId;
    e.token.claims.groups_count = 4;
    return e;
}

}  // namespace

TEST_CASE("status text shows the identity, never the token", "[cli]") {
    const std::int64_t now = 1750000000;
    auto e = entry(now);
    const std::string text = aks::format_status_text({e}, now);
    CHECK(text.find("alice@contoso.com") != std::string::npos);
    CHECK(text.find("tid-1") != std::string::npos);
    CHECK(text.find("(in 53m)") != std::string::npos);
    CHECK(text.find("state:         fresh") != std::string::npos);
    CHECK(text.find("refresh token: yes") != std::string::npos);
    CHECK(text.find("groups:        4") != std::string::npos);
    CHECK(text.find("SECRET") == std::string::npos);

    auto old = entry(now);
    old.token.expires_on = now - 120;
    old.token.refresh_token.clear();
    old.token.claims.groups_overage = true;
    const std::string two = aks::format_status_text({e, old}, now);
    CHECK(two.find("\n\nuser:") != std::string::npos);
    CHECK(two.find("expired 2m ago") != std::string::npos);
    CHECK(two.find("refresh token: no") != std::string::npos);
    CHECK(two.find("overage") != std::string::npos);
    CHECK(two.find("SECRET") == std::string::npos);
}

TEST_CASE("status json carries the same fields", "[cli]") {
    const std::int64_t now = 1750000000;
    const std::string json = aks::format_status_json({entry(now)}, now);
    CHECK(json.find("SECRET") == std::string::npos);
    CHECK(json.find("\"cacheFile\":\"/c/abc.json\"") != std::string::npos);
    picojson::value v;
    REQUIRE(picojson::parse(v, json).empty());
    REQUIRE(v.is<picojson::array>());
    const auto& o = v.get<picojson::array>().at(0).get<picojson::object>();
    CHECK(o.at("user").get<std::string>() == "alice@contoso.com");
    CHECK(o.at("tenant").get<std::string>() == "tid-1");
    CHECK(o.at("audience").get<std::string>() == aks::kAksServerId);
    CHECK(o.at("loginMode").get<std::string>() == "devicecode");
    CHECK(o.at("fresh").get<bool>());
    CHECK(o.at("refreshToken").get<bool>());
    CHECK(o.at("groups").get<double>() == 4);
    CHECK(o.at("expiresOn").get<double>() == static_cast<double>(now + 53 * 60 + 10));
    CHECK(aks::format_status_json({}, now) == "[]\n");
}
