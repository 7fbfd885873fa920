#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "core/url.h"

TEST_CASE("parse_url: defaults and lowercasing", "[url]") {
    auto u = aks::parse_url("HTTPS://Login.MicrosoftOnline.COM");
    REQUIRE(u);
    CHECK(u->scheme == "https");
    CHECK(u->host == "login.microsoftonline.com");
    CHECK(u->port == 443);
    CHECK(u->path == "/");
    CHECK(u->origin() == "https://login.microsoftonline.com");

    u = aks::parse_url("http://example.com/Tenant/oauth2/v2.0/token?a=B&c=d#frag");
    REQUIRE(u);
    CHECK(u->port == 80);
    CHECK(u->path == "/Tenant/oauth2/v2.0/token?a=B&c=d");  // path case kept, fragment dropped

    u = aks::parse_url("https://example.com?x=1");
    REQUIRE(u);
    CHECK(u->path == "/?x=1");
}

TEST_CASE("parse_url: explicit ports", "[url]") {
    auto u = aks::parse_url("https://127.0.0.1:8443/common");
    REQUIRE(u);
    CHECK(u->host == "127.0.0.1");
    CHECK(u->port == 8443);
    CHECK(u->path == "/common");
    CHECK(u->origin() == "https://127.0.0.1:8443");

    u = aks::parse_url("https://example.com:443/");
    REQUIRE(u);
    CHECK(u->origin() == "https://example.com");  // default port omitted
    u = aks::parse_url("http://example.com:443/");
    REQUIRE(u);
    CHECK(u->origin() == "http://example.com:443");
}

TEST_CASE("parse_url: IPv6 literals", "[url]") {
    auto u = aks::parse_url("http://[::1]:8080/x");
    REQUIRE(u);
    CHECK(u->host == "::1");
    CHECK(u->port == 8080);
    CHECK(u->path == "/x");
    CHECK(u->origin() == "http://[::1]:8080");

    u = aks::parse_url("https://[FE80::1]");
    REQUIRE(u);
    CHECK(u->host == "fe80::1");
    CHECK(u->port == 443);
    CHECK(u->origin() == "https://[fe80::1]");
}

TEST_CASE("parse_url: rejects bad input", "[url]") {
    CHECK_FALSE(aks::parse_url(""));
    CHECK_FALSE(aks::parse_url("login.microsoftonline.com"));
    CHECK_FALSE(aks::parse_url("ftp://example.com/"));
    CHECK_FALSE(aks::parse_url("https://"));
    CHECK_FALSE(aks::parse_url("https:///path"));
    CHECK_FALSE(aks::parse_url("https://:443/"));
    CHECK_FALSE(aks::parse_url("https://user:pass@example.com/"));
    CHECK_FALSE(aks::parse_url("https://user@example.com/"));
    CHECK_FALSE(aks::parse_url("https://example.com:/"));
    CHECK_FALSE(aks::parse_url("https://example.com:0/"));
    CHECK_FALSE(aks::parse_url("https://example.com:65536/"));
    CHECK_FALSE(aks::parse_url("https://example.com:99999999999/"));
    CHECK_FALSE(aks::parse_url("https://example.com:8a/"));
    CHECK_FALSE(aks::parse_url("https://example.com:-1/"));
    CHECK_FALSE(aks::parse_url("https://[::1/"));
    CHECK_FALSE(aks::parse_url("https://[::1]x/"));
    CHECK_FALSE(aks::parse_url("https://[]/"));
    CHECK_FALSE(aks::parse_url("https://::1/"));
    CHECK_FALSE(aks::parse_url("https://exa mple.com/"));
    CHECK_FALSE(aks::parse_url("https://example.com/a b"));
    CHECK_FALSE(aks::parse_url("https://example.com/\r\nHost: evil"));
}

TEST_CASE("percent_encode keeps only unreserved characters", "[url]") {
    CHECK(aks::percent_encode("AZaz09-._~") == "AZaz09-._~");
    CHECK(aks::percent_encode("a b+c/d?e=f&g") == "a%20b%2Bc%2Fd%3Fe%3Df%26g");
    CHECK(aks::percent_encode("6dae42f8-4368-4678-94ff-3960e28e3630/.default") ==
          "6dae42f8-4368-4678-94ff-3960e28e3630%2F.default");
    CHECK(aks::percent_encode("\xc3\xa9") == "%C3%A9");
    CHECK(aks::percent_encode(std::string("\0", 1)) == "%00");
    CHECK(aks::percent_encode("").empty());
}

TEST_CASE("form_encode joins encoded pairs in key order", "[url]") {
    const std::multimap<std::string, std::string> params{
        {"scope", "6dae42f8/.default openid offline_access"},
        {"client_id", "80faf920"},
        {"grant_type", "urn:ietf:params:oauth:grant-type:device_code"},
    };
    CHECK(aks::form_encode(params) ==
          "client_id=80faf920&grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"
          "&scope=6dae42f8%2F.default%20openid%20offline_access");
    CHECK(aks::form_encode({}).empty());
    CHECK(aks::form_encode({{"a", ""}, {"a", "&="}}) == "a=&a=%26%3D");
}
