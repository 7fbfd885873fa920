#include <catch2/catch.hpp>

#include "local-proxy/headlamp_cookies.h"

using aks::proxy::HeadlampCookieRewrite;
using aks::proxy::rewrite_headlamp_cookies;
using aks::proxy::sanitize_headlamp_cluster;

TEST_CASE("headlamp-auth cookies and every aks-proxy cookie are removed, others kept in order", "[headlamp_cookies]") {
    const HeadlampCookieRewrite strip{"", ""};
    struct Row {
        const char* in;
        const char* out;
    };
    const Row rows[] = {
        {"", ""},
        {"theme=dark", "theme=dark"},
        {"headlamp-auth-main=stale", ""},
        {"a=1; headlamp-auth-main=stale; b=2", "a=1; b=2"},
        {"headlamp-auth-main.0=x; headlamp-auth-main.1=y;lang=en", "lang=en"},
        {"headlamp-auth-other-cluster=z; a=1", "a=1"},
        {"aks-proxy-8000=secret; a=1", "a=1"},
        {"aks-proxy-8001=other-run; a=1", "a=1"},  // another run's secret must not reach Headlamp either
        {"aks-proxy-notice=logout; a=1", "a=1"},
        {" a=1 ;; b=2 ; ", "a=1; b=2"},
        {"Headlamp-Auth-main=case-differs", "Headlamp-Auth-main=case-differs"},  // cookie names are case-sensitive
        {"flag; a=1", "flag; a=1"},
    };
    for (const Row& r : rows) {
        INFO(r.in);
        CHECK(rewrite_headlamp_cookies(r.in, strip) == r.out);
    }
}

// Headlamp reads its token only from `headlamp-auth-<cluster>.0`, `.1`, ...
// (backend/pkg/auth/cookies.go GetTokenFromCookie, v0.35.0 to v0.45.0): an
// unsuffixed `headlamp-auth-<cluster>` is never read, so a single chunk is `.0`.
TEST_CASE("the fresh token goes into the cookie Headlamp reads: .0 even for one chunk", "[headlamp_cookies]") {
    const HeadlampCookieRewrite inject{"main", "eyJfresh"};
    CHECK(rewrite_headlamp_cookies("headlamp-auth-main=stale; a=1", inject) == "a=1; headlamp-auth-main.0=eyJfresh");
    CHECK(rewrite_headlamp_cookies("", inject) == "headlamp-auth-main.0=eyJfresh");
}

TEST_CASE("tokens are cut into 3,800-byte chunks exactly as Headlamp's SetTokenCookie writes them",
          "[headlamp_cookies]") {
    auto chunks = [](const std::string& token) { return rewrite_headlamp_cookies("", {"main", token}); };
    const std::string exact(3800, 'q');
    CHECK(chunks(exact) == "headlamp-auth-main.0=" + exact);
    CHECK(chunks(exact + "r") == "headlamp-auth-main.0=" + exact + "; headlamp-auth-main.1=r");
    const std::string token = std::string(3800, 'a') + std::string(3800, 'b') + "c";
    CHECK(rewrite_headlamp_cookies("x=1", {"main", token}) ==
          "x=1; headlamp-auth-main.0=" + std::string(3800, 'a') + "; headlamp-auth-main.1=" + std::string(3800, 'b') +
              "; headlamp-auth-main.2=c");
    const std::string two(7600, 'z');
    CHECK(chunks(two) == "headlamp-auth-main.0=" + two.substr(0, 3800) + "; headlamp-auth-main.1=" + two.substr(3800));
    CHECK(chunks("") == "");  // nothing to inject: no empty cookie
}

// SanitizeClusterName (cookies.go): only [A-Za-z0-9_-] kept, cut at 50 bytes.
TEST_CASE("cluster names are sanitised as Headlamp's SanitizeClusterName does", "[headlamp_cookies]") {
    struct Row {
        std::string in, out;
    };
    const Row rows[] = {
        {"main", "main"},
        {"aks.prod", "aksprod"},
        {"my cluster/with:odd;chars=1", "myclusterwithoddchars1"},
        {"a__b--c", "a__b--c"},
        {"Ärger-ü_1", "rger-_1"},  // non-ASCII bytes go, byte by byte
        {std::string(60, 'x'), std::string(50, 'x')},
        {"a.b.c." + std::string(55, 'y'), "abc" + std::string(47, 'y')},  // cut after removal
        {"...", ""},
        {"", ""},
    };
    for (const Row& r : rows) {
        INFO(r.in);
        CHECK(sanitize_headlamp_cluster(r.in) == r.out);
    }
    CHECK(rewrite_headlamp_cookies("", {sanitize_headlamp_cluster("aks.prod"), "t"}) == "headlamp-auth-aksprod.0=t");
}
