#include <catch2/catch.hpp>

#include "local-proxy/headlamp_cookies.h"

using aks::proxy::HeadlampCookieRewrite;
using aks::proxy::rewrite_headlamp_cookies;

TEST_CASE("headlamp-auth cookies and our session cookie are removed, others kept in order", "[headlamp_cookies]") {
    const HeadlampCookieRewrite strip{"aks-proxy-8000", "", ""};
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
        {"aks-proxy-8001=other-run; a=1", "aks-proxy-8001=other-run; a=1"},
        {" a=1 ;; b=2 ; ", "a=1; b=2"},
        {"Headlamp-Auth-main=case-differs", "Headlamp-Auth-main=case-differs"},  // cookie names are case-sensitive
        {"flag; a=1", "flag; a=1"},
    };
    for (const Row& r : rows) {
        INFO(r.in);
        CHECK(rewrite_headlamp_cookies(r.in, strip) == r.out);
    }
}

TEST_CASE("the fresh token goes into the cookie Headlamp reads", "[headlamp_cookies]") {
    const HeadlampCookieRewrite inject{"aks-proxy-8000", "main", "eyJfresh"};
    CHECK(rewrite_headlamp_cookies("headlamp-auth-main=stale; a=1", inject) == "a=1; headlamp-auth-main=eyJfresh");
    CHECK(rewrite_headlamp_cookies("", inject) == "headlamp-auth-main=eyJfresh");
}

TEST_CASE("a token over 3,800 bytes is split into numbered chunks", "[headlamp_cookies]") {
    const std::string token = std::string(3800, 'a') + std::string(3800, 'b') + "c";
    const std::string out = rewrite_headlamp_cookies("x=1", {"s", "main", token});
    CHECK(out == "x=1; headlamp-auth-main.0=" + std::string(3800, 'a') + "; headlamp-auth-main.1=" +
                     std::string(3800, 'b') + "; headlamp-auth-main.2=c");
    const std::string exact(3800, 'q');
    CHECK(rewrite_headlamp_cookies("", {"s", "main", exact}) == "headlamp-auth-main=" + exact);
}
