#include "core/loopback_redirect_listener.h"

#include <httplib.h>

#include <catch2/catch.hpp>

#include "core/errors.h"

namespace {

httplib::Result get(int port, const std::string& path) {
    httplib::Client c("127.0.0.1", port);
    c.set_url_encode(false);  // send the query as a browser does ('+' stays '+')
    return c.Get(path.c_str());
}

}  // namespace

TEST_CASE("loopback listener: ephemeral port, localhost redirect URI, code with state", "[loopback_redirect_listener]") {
    aks::LoopbackRedirectListener l("", "st-1");
    CHECK(l.port() > 0);
    CHECK(l.redirect_uri() == "http://localhost:" + std::to_string(l.port()));
    // Other paths and a wrong state are refused and ignored.
    auto r = get(l.port(), "/favicon.ico");
    REQUIRE(r);
    CHECK(r->status == 400);
    r = get(l.port(), "/?code=evil&state=other");
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK_FALSE(l.wait(0));
    r = get(l.port(), "/?code=c-1&state=st-1&session_state=x");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body.find("You may close this tab") != std::string::npos);
    const auto got = l.wait(1000);
    REQUIRE(got);
    CHECK(got->code == "c-1");
    CHECK(got->error.empty());
}

TEST_CASE("loopback listener: error callback gives an error page and the error", "[loopback_redirect_listener]") {
    aks::LoopbackRedirectListener l("", "st-2");
    auto r = get(l.port(), "/?error=access_denied&error_description=AADSTS65004%3A+User+declined%0D%0ATrace&state=st-2");
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(r->body.find("Sign-in failed") != std::string::npos);
    INFO(r->body);
    CHECK(r->body.find("AADSTS65004: User declined") != std::string::npos);
    const auto got = l.wait(1000);
    REQUIRE(got);
    CHECK(got->error == "access_denied");
    CHECK(got->code.empty());
}

TEST_CASE("loopback listener: --redirect-url port and path; bad URLs", "[loopback_redirect_listener]") {
    int port = 0;
    {
        aks::LoopbackRedirectListener probe("", "x");
        port = probe.port();
    }
    const std::string url = "http://localhost:" + std::to_string(port) + "/cb";
    aks::LoopbackRedirectListener l(url, "st-3");
    CHECK(l.redirect_uri() == url);
    CHECK(l.port() == port);
    CHECK(get(port, "/?code=c&state=st-3")->status == 400);
    CHECK(get(port, "/cb?code=c&state=st-3")->status == 200);
    CHECK_THROWS_AS(aks::LoopbackRedirectListener(url, "again"), aks::UsageError);  // port in use
    CHECK_THROWS_AS(aks::check_redirect_url("https://localhost:1/"), aks::UsageError);
    CHECK_THROWS_AS(aks::check_redirect_url("http://example.com:80/"), aks::UsageError);
    CHECK_THROWS_AS(aks::check_redirect_url("http://localhost/cb"), aks::UsageError);
    CHECK_NOTHROW(aks::check_redirect_url("http://127.0.0.1:8400"));
    CHECK_NOTHROW(aks::check_redirect_url("http://[::1]:8400/x"));
}

TEST_CASE("loopback listener: provider text is escaped, other Host names are refused", "[loopback_redirect_listener]") {
    aks::LoopbackRedirectListener l("", "st-4");
    // A rebound DNS name pointing at 127.0.0.1 sends its own Host: ignored even with the state.
    httplib::Client c("127.0.0.1", l.port());
    c.set_url_encode(false);
    auto r = c.Get("/?code=c&state=st-4", {{"Host", "evil.example:" + std::to_string(l.port())}});
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK_FALSE(l.wait(0));
    r = c.Get("/?error=x&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E+a%2Bb&state=st-4",
              {{"Host", "localhost:" + std::to_string(l.port())}});
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(r->body.find("<script>") == std::string::npos);
    CHECK(r->body.find("&lt;script&gt;alert(1)&lt;/script&gt; a+b") != std::string::npos);
    const auto got = l.wait(1000);
    REQUIRE(got);
    CHECK(got->error_description == "<script>alert(1)</script> a+b");
}
