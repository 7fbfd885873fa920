#include "core/auth_code_flow.h"

#include <httplib.h>

#include <catch2/catch.hpp>
#include <sstream>
#include <thread>

#include "core/errors.h"
#include "core/pkce.h"
#include "core/url.h"
#include "tests/unit/fake_idp.h"

using aks_test::FakeIdp;

namespace {

std::string query_param(const std::string& url, const std::string& key) {
    httplib::Params params;
    httplib::detail::parse_query_text(url.substr(url.find('?') + 1), params);
    auto it = params.find(key);
    return it == params.end() ? std::string() : it->second;
}

struct Fixture {
    FakeIdp idp;
    aks_test::FakeTime time;
    aks::HttpClient http{aks_test::fast_http_options(time)};
    std::ostringstream prompt;
    aks::SignInStatus status{prompt};  // not a terminal: plain lines
    std::string opened;
    std::thread browser;

    ~Fixture() {
        if (browser.joinable()) browser.join();
    }
    aks::AuthCodeParams params() {
        aks::LoginSettings s;
        s.authority_host = idp.authority();
        s.tenant_id = "t1";
        return {aks::entra_endpoints(s), "client-1", "srv/.default openid offline_access profile", "", "", 5,
                "select_account"};
    }
    // A browser double: follows the URL by calling the redirect URI itself.
    aks::BrowserOpener browser_answering(std::string query_suffix) {
        return [this, query_suffix](const std::string& url) {
            opened = url;
            const std::string redirect = query_param(url, "redirect_uri");
            const std::string state = query_param(url, "state");
            browser = std::thread([redirect, state, query_suffix] {
                const auto port = std::stoi(redirect.substr(redirect.rfind(':') + 1));
                httplib::Client c("127.0.0.1", port);
                c.set_url_encode(false);
                c.Get(("/?state=" + state + query_suffix).c_str());
            });
            return true;
        };
    }
};

}  // namespace

TEST_CASE("auth code: PKCE S256, state, nonce in the URL; code redeemed with the verifier", "[auth_code_flow]") {
    Fixture f;
    f.idp.script_token({{200, aks_test::token_json(aks_test::fake_jwt("u", 1700003600), "rt-1", 3600)}});
    const auto t = aks::run_auth_code_flow(f.http, f.params(), f.browser_answering("&code=the-code"), f.status,
                                           f.time.clock());
    CHECK(t.refresh_token == "rt-1");
    CHECK(query_param(f.opened, "code_challenge_method") == "S256");
    CHECK(query_param(f.opened, "response_type") == "code");
    CHECK(query_param(f.opened, "nonce").size() >= 20);
    CHECK(query_param(f.opened, "prompt") == "select_account");
    const auto form = f.idp.token_forms().at(0);
    CHECK(FakeIdp::param(form, "grant_type") == "authorization_code");
    CHECK(FakeIdp::param(form, "code") == "the-code");
    CHECK(FakeIdp::param(form, "redirect_uri") == query_param(f.opened, "redirect_uri"));
    CHECK(aks::pkce_s256_challenge(FakeIdp::param(form, "code_verifier")) == query_param(f.opened, "code_challenge"));
    CHECK(f.prompt.str().find("browser window was opened") != std::string::npos);
}

TEST_CASE("auth code: login_hint replaces the account picker", "[auth_code_flow]") {
    auto p = Fixture().params();
    p.login_hint = "a@b.example";
    const std::string url = aks::authorize_url(p, "http://localhost:1", "s", "c", "");
    CHECK(query_param(url, "login_hint") == "a@b.example");
    CHECK(query_param(url, "prompt").empty());
    CHECK(query_param(url, "nonce").empty());
}

TEST_CASE("auth code: provider error on the redirect is an AuthError with the AADSTS code", "[auth_code_flow]") {
    Fixture f;
    CHECK_THROWS_WITH(aks::run_auth_code_flow(f.http, f.params(),
                                              f.browser_answering("&error=invalid_request&error_description=AADSTS50011%3A+redirect+mismatch"),
                                              f.status, f.time.clock()),
                      Catch::Contains("AADSTS50011"));
    CHECK(f.idp.token_requests() == 0);
}

TEST_CASE("auth code: no browser prints the URL; nobody comes back: timeout", "[auth_code_flow]") {
    Fixture f;
    auto p = f.params();
    p.timeout_seconds = 1;
    const aks::BrowserOpener none = [](const std::string&) { return false; };
    CHECK_THROWS_WITH(aks::run_auth_code_flow(f.http, p, none, f.status, f.time.clock()),
                      Catch::Contains("did not complete within 1s"));
    CHECK(f.prompt.str().find("No browser could be opened") != std::string::npos);
    CHECK(f.prompt.str().find("/authorize?") != std::string::npos);
}

TEST_CASE("auth code: a mismatching nonce in the id_token is refused", "[auth_code_flow]") {
    Fixture f;
    const std::string id_token = aks::base64url_encode(R"({"alg":"none"})") + "." +
                                 aks::base64url_encode(R"({"nonce":"someone-elses"})") + ".x";
    f.idp.script_token({{200, R"({"access_token":")" + aks_test::fake_jwt("u", 1700003600) +
                                  R"(","expires_in":3600,"token_type":"Bearer","id_token":")" + id_token + R"("})"}});
    CHECK_THROWS_WITH(aks::run_auth_code_flow(f.http, f.params(), f.browser_answering("&code=c"), f.status,
                                              f.time.clock()),
                      Catch::Contains("nonce"));
}

TEST_CASE("auth code: the id_token must carry the nonce that was sent", "[auth_code_flow]") {
    auto with_id_token = [](const std::string& claims) {
        const std::string id_token =
            aks::base64url_encode(R"({"alg":"none"})") + "." + aks::base64url_encode(claims) + ".x";
        return R"({"access_token":")" + aks_test::fake_jwt("u", 1700003600) +
               R"(","expires_in":3600,"token_type":"Bearer","id_token":")" + id_token + R"("})";
    };
    SECTION("no nonce claim: refused") {
        Fixture f;
        f.idp.script_token({{200, with_id_token(R"({"sub":"u"})")}});
        CHECK_THROWS_WITH(aks::run_auth_code_flow(f.http, f.params(), f.browser_answering("&code=c"), f.status,
                                                  f.time.clock()),
                          Catch::Contains("nonce"));
    }
    SECTION("the sent nonce: accepted") {
        Fixture f;
        const auto answer = f.browser_answering("&code=c");
        const aks::BrowserOpener opener = [&](const std::string& url) {
            f.idp.script_token({{200, with_id_token(R"({"nonce":")" + query_param(url, "nonce") + R"("})")}});
            return answer(url);
        };
        const auto t = aks::run_auth_code_flow(f.http, f.params(), opener, f.status, f.time.clock());
        CHECK(!t.access_token.empty());
        CHECK(f.idp.token_requests() == 1);
    }
}

TEST_CASE("auth code on a terminal: the URL once, a waiting line, then Signed in as", "[auth_code_flow]") {
    Fixture f;
    aks::SignInStatus live(f.prompt, 100, "t1");
    f.idp.script_token({{200, aks_test::token_json(aks_test::fake_jwt("u", 1700003600), "rt-1", 3600)}});
    const auto t =
        aks::run_auth_code_flow(f.http, f.params(), f.browser_answering("&code=the-code"), live, f.time.clock());
    const std::string out = f.prompt.str();
    CHECK(out.rfind("A browser window was opened for sign-in. If it did not open, visit:\n" + f.opened + "\n"
                    "\r\033[KWaiting for the browser sign-in (0:05 left)",
                    0) == 0);
    const std::string last = "\r\033[K" + aks::signed_in_line(t, "t1") + "\n";
    REQUIRE(out.size() > last.size());
    CHECK(out.substr(out.size() - last.size()) == last);
    CHECK(live.announced());
}

TEST_CASE("auth code on a terminal: a timeout leaves the status line closed for the error", "[auth_code_flow]") {
    Fixture f;
    auto p = f.params();
    p.timeout_seconds = 2;  // the listener's wait is real time
    aks::SignInStatus live(f.prompt, 100);
    const aks::BrowserOpener silent = [](const std::string&) { return true; };
    CHECK_THROWS_AS(aks::run_auth_code_flow(f.http, p, silent, live, f.time.clock()), aks::AuthError);
    const std::string out = f.prompt.str();
    CHECK(out.find("\r\033[KWaiting for the browser sign-in (0:02 left)") != std::string::npos);
    CHECK(out.back() == '\n');
    CHECK_FALSE(live.announced());
}
