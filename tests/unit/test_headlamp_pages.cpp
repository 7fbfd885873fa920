#include <catch2/catch.hpp>

#include "local-proxy/headlamp_pages.h"

using namespace aks::proxy;

namespace {

HeadlampMode mode() {
    HeadlampMode m;
    m.cluster = "aks.prod";
    m.cookie_cluster = "aksprod";
    m.base = "/hl/";
    m.login_command = "aks-token login --context <prod>";
    m.context = "<prod>";
    return m;
}

http::fields navigation(const char* cookie = nullptr) {
    http::fields f;
    f.set("Sec-Fetch-Mode", "navigate");
    f.set(http::field::accept, "text/html,application/xhtml+xml");
    if (cookie) f.set(http::field::cookie, cookie);
    return f;
}

http::fields xhr() {
    http::fields f;
    f.set("Sec-Fetch-Mode", "cors");
    f.set(http::field::accept, "*/*");
    return f;
}

std::optional<LocalResponse> reply(http::verb method, std::string_view path, const http::fields& f, bool has_token) {
    return headlamp_local_reply(mode(),
                                {method, path, f, has_token, "aks-proxy: no token; run aks-token login", 11, true});
}

std::string header(const LocalResponse& r, boost::beast::string_view name) {
    auto it = r.find(name);
    return it == r.end() ? "<none>" : std::string(it->value());
}

}  // namespace

TEST_CASE("page loads are told apart from fetch() and WebSockets", "[headlamp_pages]") {
    CHECK(is_navigation(http::verb::get, navigation()));
    CHECK_FALSE(is_navigation(http::verb::post, navigation()));
    CHECK_FALSE(is_navigation(http::verb::get, xhr()));
    http::fields old;  // a browser without Sec-Fetch-*
    old.set(http::field::accept, "text/html");
    CHECK(is_navigation(http::verb::get, old));
    old.set(http::field::upgrade, "websocket");
    CHECK_FALSE(is_navigation(http::verb::get, old));
    CHECK_FALSE(is_navigation(http::verb::get, http::fields{}));
}

TEST_CASE("set-token (paste or Log out) never goes upstream: reload onto the notice", "[headlamp_pages]") {
    for (const char* path : {"/hl/clusters/aks.prod/set-token", "/hl/clusters/other/set-token", "/hl/auth/set-token"}) {
        INFO(path);
        for (bool has_token : {true, false}) {
            const auto r = reply(http::verb::post, path, xhr(), has_token);
            REQUIRE(r);
            CHECK(r->result() == http::status::ok);
            CHECK(header(*r, "X-Reload") == "reload");
            CHECK(header(*r, "Set-Cookie") == "aks-proxy-notice=token; Path=/; Max-Age=120; HttpOnly; SameSite=Strict");
        }
    }
    // Not set-token: other paths and methods go on.
    CHECK_FALSE(reply(http::verb::get, "/hl/clusters/aks.prod/set-token", xhr(), true));
    CHECK_FALSE(reply(http::verb::post, "/hl/clusters/a/b/set-token", xhr(), true));
    CHECK_FALSE(reply(http::verb::post, "/other/clusters/aks.prod/set-token", xhr(), true));
    CHECK_FALSE(reply(http::verb::post, "/hl/clusters/aks.prod/api/v1/pods", xhr(), true));
}

TEST_CASE("the reload after set-token shows the notice once, with the commands", "[headlamp_pages]") {
    const auto r = reply(http::verb::get, "/hl/c/aks.prod/pods", navigation("a=1; aks-proxy-notice=token"), true);
    REQUIRE(r);
    CHECK(r->result() == http::status::ok);
    CHECK(header(*r, "Set-Cookie") == "aks-proxy-notice=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    CHECK(r->body().find("aks-token logout --context &lt;prod&gt;") != std::string::npos);
    CHECK(r->body().find("aks-token login --context &lt;prod&gt;") != std::string::npos);
    CHECK(r->body().find("<prod>") == std::string::npos);  // escaped
    CHECK(r->body().find("href=\"/hl/\"") != std::string::npos);
    // fetch() with the cookie still goes upstream (the page reloads first).
    http::fields f = xhr();
    f.set(http::field::cookie, "aks-proxy-notice=token");
    CHECK_FALSE(reply(http::verb::get, "/hl/config", f, true));
}

TEST_CASE("a page load of Headlamp's token route gets aks-proxy's page", "[headlamp_pages]") {
    const auto with = reply(http::verb::get, "/hl/c/aks.prod/token", navigation(), true);
    REQUIRE(with);
    CHECK(with->result() == http::status::ok);
    CHECK(with->body().find("not used") != std::string::npos);
    CHECK(with->body().find("href=\"/hl/c/aks.prod/\"") != std::string::npos);
    const auto without = reply(http::verb::get, "/hl/c/aks.prod/token", navigation(), false);
    REQUIRE(without);
    CHECK(without->result() == http::status::unauthorized);
    CHECK(without->body().find("aks-token login --context &lt;prod&gt;") != std::string::npos);
    // Client-side routing fetches nothing; other clusters' token pages are Headlamp's.
    CHECK_FALSE(reply(http::verb::get, "/hl/c/other/token", navigation(), true));
    CHECK_FALSE(reply(http::verb::get, "/hl/c/aks.prod/token", xhr(), true));
}

TEST_CASE("no token: page loads get the sign-in page, Headlamp's calls a 401 that reloads it", "[headlamp_pages]") {
    const auto page = reply(http::verb::get, "/hl/", navigation(), false);
    REQUIRE(page);
    CHECK(page->result() == http::status::unauthorized);
    CHECK(page->body().find("http-equiv=\"refresh\"") != std::string::npos);
    CHECK(page->body().find("aks-token login --context &lt;prod&gt;") != std::string::npos);
    CHECK(header(*page, "Cache-Control") == "no-store");

    const auto api =
        reply(http::verb::post, "/hl/clusters/aks.prod/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", xhr(),
              false);
    REQUIRE(api);
    CHECK(api->result() == http::status::unauthorized);
    CHECK(header(*api, "X-Reload") == "reload");
    CHECK(header(*api, "Content-Type") == "application/json");
    CHECK(api->body().find("run aks-token login") != std::string::npos);

    http::fields ws = xhr();
    ws.set(http::field::upgrade, "websocket");
    CHECK_FALSE(reply(http::verb::get, "/hl/wsMultiplexer", ws, false));  // the usual 401
    CHECK_FALSE(reply(http::verb::get, "/hl/", navigation(), true));
}
