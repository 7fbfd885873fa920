#include <catch2/catch.hpp>

#include "local-proxy/launch_session.h"

using aks::proxy::LaunchSession;

TEST_CASE("the launch target carries the secret and is recognised", "[launch_session]") {
    const LaunchSession s("s3cret", 8000);
    CHECK(s.cookie_name() == "aks-proxy-8000");
    CHECK(s.launch_target() == "/.aks-proxy/launch?secret=s3cret");
    CHECK(LaunchSession::is_launch_request(s.launch_target()));
    CHECK(LaunchSession::is_launch_request("/.aks-proxy/launch"));
    CHECK_FALSE(LaunchSession::is_launch_request("/.aks-proxy/launch/x"));
    CHECK_FALSE(LaunchSession::is_launch_request("/"));
}

TEST_CASE("only this run's secret launches", "[launch_session]") {
    const LaunchSession s("s3cret", 8000);
    CHECK(s.launch_secret_matches("/.aks-proxy/launch?secret=s3cret"));
    CHECK(s.launch_secret_matches("/.aks-proxy/launch?x=1&secret=s3cret"));
    CHECK_FALSE(s.launch_secret_matches("/.aks-proxy/launch?secret=s3cre"));
    CHECK_FALSE(s.launch_secret_matches("/.aks-proxy/launch?secret=s3cretX"));
    CHECK_FALSE(s.launch_secret_matches("/.aks-proxy/launch?secret="));
    CHECK_FALSE(s.launch_secret_matches("/.aks-proxy/launch"));
    CHECK_FALSE(s.launch_secret_matches("/other?secret=s3cret"));
    CHECK_FALSE(s.launch_secret_matches("/.aks-proxy/launch?secret=s3cret&secret=s3cret"));
    CHECK_FALSE(s.launch_secret_matches("/.aks-proxy/launch?secret=s3cret&secret=s3cret&secret=s3cret"));  // an odd count too
    CHECK_FALSE(s.launch_secret_matches("/.aks-proxy/launch?secret=wrong&secret=wrong&secret=s3cret"));
}

TEST_CASE("the session cookie is checked by name and value", "[launch_session]") {
    const LaunchSession s("s3cret", 8000);
    CHECK(s.cookie_matches("aks-proxy-8000=s3cret"));
    CHECK(s.cookie_matches("a=1; aks-proxy-8000=s3cret; b=2"));
    CHECK_FALSE(s.cookie_matches(""));
    CHECK_FALSE(s.cookie_matches("aks-proxy-8001=s3cret"));
    CHECK_FALSE(s.cookie_matches("aks-proxy-8000=wrong"));
    CHECK_FALSE(s.cookie_matches("xaks-proxy-8000=s3cret"));
}

TEST_CASE("the cookie is HttpOnly and SameSite=Strict", "[launch_session]") {
    const LaunchSession s("s3cret", 8123);
    CHECK(s.set_cookie() == "aks-proxy-8123=s3cret; Path=/; HttpOnly; SameSite=Strict");
}

TEST_CASE("generated secrets are long and differ", "[launch_session]") {
    const auto a = LaunchSession::generate(1);
    const auto b = LaunchSession::generate(1);
    CHECK(a.launch_target().size() == std::string("/.aks-proxy/launch?secret=").size() + 43);
    CHECK(a.launch_target() != b.launch_target());
}

TEST_CASE("the first successful launch runs the launch hook once", "[launch_session]") {
    aks::proxy::LaunchSession s("s3cret", 8000);
    int calls = 0;
    s.on_first_launch([&] { ++calls; });
    const aks::proxy::LaunchSession copy = s;  // the context holds a copy: the hook is shared
    copy.launched();
    s.launched();
    CHECK(calls == 1);
}
