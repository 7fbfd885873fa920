#include <catch2/catch.hpp>

#include "local-proxy/launch_gate.h"

using namespace aks::proxy;

namespace {

std::optional<LocalResponse> gate(const LaunchSession& s, const std::string& target, const std::string& cookie = "",
                                  http::verb method = http::verb::get) {
    http::fields f;
    if (!cookie.empty()) f.set(http::field::cookie, cookie);
    return launch_gate(s, method, target, f, 11, true);
}

}  // namespace

TEST_CASE("the launch URL sets the session cookie and moves on to the base path", "[launch_gate]") {
    const LaunchSession s("s3cret", 8000, "/headlamp/");
    const auto res = gate(s, "/.aks-proxy/launch?secret=s3cret");
    REQUIRE(res);
    // 200 with a meta refresh, not 302: Chromium sends no SameSite=Strict
    // cookie on a redirect followed from a file:// page (the launch file).
    CHECK(res->result() == http::status::ok);
    CHECK(res->find(http::field::location) == res->end());
    CHECK(res->body().find("<meta http-equiv=\"refresh\" content=\"0;url=/headlamp/\">") != std::string::npos);
    CHECK(res->at(http::field::set_cookie) == "aks-proxy-8000=s3cret; Path=/; HttpOnly; SameSite=Strict");
    CHECK(res->at("Referrer-Policy") == "no-referrer");
    CHECK(res->at(http::field::cache_control) == "no-store");
}

TEST_CASE("a wrong secret or method gets the 401 page, never the cookie", "[launch_gate]") {
    const LaunchSession s("s3cret", 8000);
    for (const auto& [target, method] :
         {std::pair{std::string("/.aks-proxy/launch?secret=wrong"), http::verb::get},
          std::pair{std::string("/.aks-proxy/launch"), http::verb::get},
          std::pair{std::string("/.aks-proxy/launch?secret=s3cret"), http::verb::post}}) {
        const auto res = gate(s, target, "", method);
        REQUIRE(res);
        CHECK(res->result() == http::status::unauthorized);
        CHECK(res->find(http::field::set_cookie) == res->end());
        CHECK(res->body().find("launch URL") != std::string::npos);
    }
}

TEST_CASE("requests pass only with this run's session cookie", "[launch_gate]") {
    const LaunchSession s("s3cret", 8000);
    CHECK_FALSE(gate(s, "/", "aks-proxy-8000=s3cret"));
    CHECK_FALSE(gate(s, "/clusters/main/api/v1/pods", "a=b; aks-proxy-8000=s3cret; headlamp-auth-main=old"));
    CHECK(gate(s, "/")->result() == http::status::unauthorized);
    CHECK(gate(s, "/", "aks-proxy-8000=wrong")->result() == http::status::unauthorized);
    CHECK(gate(s, "/", "aks-proxy-8001=s3cret")->result() == http::status::unauthorized);
    CHECK(gate(s, "/", "headlamp-auth-main=tok")->result() == http::status::unauthorized);
}

TEST_CASE("several Cookie headers are read together", "[launch_gate]") {
    http::fields f;
    f.insert(http::field::cookie, "a=1");
    f.insert(http::field::cookie, "aks-proxy-8000=s3cret");
    CHECK(joined_cookies(f) == "a=1; aks-proxy-8000=s3cret");
    const LaunchSession s("s3cret", 8000);
    CHECK_FALSE(launch_gate(s, http::verb::get, "/", f, 11, true));
}
