#include "core/device_code_flow.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "core/errors.h"
#include "tests/unit/fake_idp.h"

using aks_test::FakeIdp;
using aks_test::FakeTime;
using aks_test::oauth_error_json;
using aks_test::token_json;

namespace {

struct Fixture {
    FakeIdp idp;
    FakeTime time;
    aks::HttpClient http{aks_test::fast_http_options(time)};
    std::ostringstream prompt;
    aks::SignInStatus status{prompt};  // not a terminal: plain lines

    aks::DeviceCodeParams params(std::int64_t timeout = 0) {
        aks::LoginSettings s;
        s.authority_host = idp.authority();
        s.tenant_id = "t1";
        s.server_id = "6dae42f8-4368-4678-94ff-3960e28e3630";
        return aks::DeviceCodeParams{aks::entra_endpoints(s), "client-1", aks::user_flow_scope(s), timeout};
    }
    aks::Token run(std::int64_t timeout = 0) {
        return aks::run_device_code_flow(http, params(timeout), status, time.clock(), time.sleeper());
    }
};

const std::string kAccess = aks_test::fake_jwt("oid-1", 1700003600);

}  // namespace

TEST_CASE("device code: pending twice, then a token", "[device_code_flow]") {
    Fixture f;
    f.idp.script_token({{400, oauth_error_json("authorization_pending")},
                        {400, oauth_error_json("authorization_pending")},
                        {200, token_json(kAccess, "rt-1", 3600)}});
    const aks::Token t = f.run();
    CHECK(t.access_token == kAccess);
    CHECK(t.refresh_token == "rt-1");
    CHECK(t.expires_on == 1700000000 + 15 + 3600);  // three 5 s waits on the fake clock

    CHECK(f.prompt.str() ==
          "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code "
          "ABCD-EFGH to authenticate.\n");
    CHECK(f.time.recorded() == std::vector<std::int64_t>{5000, 5000, 5000});

    const auto dc = f.idp.devicecode_forms();
    REQUIRE(dc.size() == 1);
    CHECK(FakeIdp::param(dc[0], "client_id") == "client-1");
    CHECK(FakeIdp::param(dc[0], "scope") == "6dae42f8-4368-4678-94ff-3960e28e3630/.default openid offline_access profile");
    const auto polls = f.idp.token_forms();
    REQUIRE(polls.size() == 3);
    for (const auto& p : polls) {
        CHECK(FakeIdp::param(p, "grant_type") == "urn:ietf:params:oauth:grant-type:device_code");
        CHECK(FakeIdp::param(p, "client_id") == "client-1");
        CHECK(FakeIdp::param(p, "device_code") == "dc-123");
    }
}

TEST_CASE("device code: slow_down adds 5 seconds to the interval", "[device_code_flow]") {
    Fixture f;
    f.idp.script_token({{400, oauth_error_json("slow_down")},
                        {400, oauth_error_json("authorization_pending")},
                        {400, oauth_error_json("slow_down")},
                        {200, token_json(kAccess, "rt-1", 3600)}});
    f.run();
    CHECK(f.time.recorded() == std::vector<std::int64_t>{5000, 10000, 10000, 15000});
}

TEST_CASE("device code: string-valued interval and expires_in, no message", "[device_code_flow]") {
    Fixture f;
    f.idp.set_devicecode_reply(200, R"({"device_code":"dc-9","user_code":"XYZ","verification_url":"https://example.com/device",)"
                                    R"("expires_in":"12","interval":"3"})");
    SECTION("success") {
        f.idp.script_token({{400, oauth_error_json("authorization_pending")}, {200, token_json(kAccess, "", 600)}});
        const auto t = f.run();
        CHECK(t.refresh_token.empty());
        CHECK(f.prompt.str() == "To sign in, open https://example.com/device and enter the code XYZ\n");
        CHECK(f.time.recorded() == std::vector<std::int64_t>{3000, 3000});
    }
    SECTION("expires_in ends the wait") {
        // Always pending: polls at +3, +6, +9, +12, then the 12 s code is over.
        CHECK_THROWS_WITH(f.run(), "the device code expired before sign-in completed; run the command again");
        CHECK(f.idp.token_requests() == 4);
    }
}

TEST_CASE("device code: declined, expired, bad code", "[device_code_flow]") {
    Fixture f;
    SECTION("declined") {
        f.idp.script_token({{400, oauth_error_json("authorization_pending")},
                            {400, oauth_error_json("authorization_declined", "AADSTS70000: The user declined.")}});
        CHECK_THROWS_AS(f.run(), aks::AuthError);
    }
    SECTION("declined message") {
        f.idp.script_token({{400, oauth_error_json("authorization_declined")}});
        CHECK_THROWS_WITH(f.run(), "sign-in was declined");
    }
    SECTION("expired_token") {
        f.idp.script_token({{400, oauth_error_json("expired_token")}});
        CHECK_THROWS_WITH(f.run(), "the device code expired before sign-in completed; run the command again");
    }
    SECTION("bad_verification_code") {
        f.idp.script_token({{400, oauth_error_json("bad_verification_code", "AADSTS70019: Verification code expired.")}});
        CHECK_THROWS_WITH(f.run(),
                          "device code sign-in failed: AADSTS70019 (bad_verification_code): Verification code expired. "
                          "Advice: the device code expired: run the command again and enter the code sooner (trace id "
                          "trace-1)");
    }
    CHECK(f.idp.devicecode_requests() == 1);
}

TEST_CASE("device code: --timeout via the injected clock", "[device_code_flow]") {
    Fixture f;
    // Pending forever; 900 s code, but a 20 s timeout: polls at +5..+20.
    CHECK_THROWS_WITH(f.run(20), Catch::Contains("did not complete within --timeout 20s"));
    CHECK(f.idp.token_requests() == 4);
}

TEST_CASE("device code: errors from the devicecode endpoint", "[device_code_flow]") {
    Fixture f;
    SECTION("OAuth error with advice") {
        f.idp.set_devicecode_reply(400, R"({"error":"invalid_request","error_description":"AADSTS90002: Tenant 't1' not found.","error_codes":[90002],"trace_id":"tr"})");
        CHECK_THROWS_WITH(f.run(), "device code sign-in failed: AADSTS90002 (invalid_request): Tenant 't1' not found. "
                                   "Advice: the tenant was not found: check --tenant-id (trace id tr)");
    }
    SECTION("HTML 503 after retries") {
        f.idp.set_devicecode_reply(503, "<html>Service Unavailable</html>");
        CHECK_THROWS_AS(f.run(), aks::TransportError);
        CHECK(f.idp.devicecode_requests() == 3);
    }
    SECTION("missing device_code: wrong content, transient") {
        f.idp.set_devicecode_reply(200, R"({"user_code":"X"})");
        CHECK_THROWS_WITH(f.run(), "identity provider unavailable: HTTP 200 from 127.0.0.1 (device code response from "
                                   "the identity provider has no device_code) after 3 tries");
    }
    CHECK(f.idp.token_requests() == 0);
}

TEST_CASE("device code: non-JSON 503 while polling", "[device_code_flow]") {
    Fixture f;
    f.idp.set_token_default(503, "<html>down</html>");
    CHECK_THROWS_WITH(f.run(), "identity provider unavailable: HTTP 503 from 127.0.0.1 after 3 tries");
}

TEST_CASE("device code on a terminal: the status line counts down each second, then Signed in as",
          "[device_code_flow]") {
    Fixture f;
    aks::SignInStatus live(f.prompt, 100, "t1");
    f.idp.script_token({{400, oauth_error_json("authorization_pending")}, {200, token_json(kAccess, "rt-1", 3600)}});
    const aks::Token t = aks::run_device_code_flow(f.http, f.params(), live, f.time.clock(), f.time.sleeper());
    CHECK(f.time.recorded() == std::vector<std::int64_t>(10, 1000));  // two 5 s polls, a second at a time
    std::string expected;
    for (int left = 900; left >= 890; --left)
        expected += "\r\033[KTo sign in, open https://microsoft.com/devicelogin and enter the code ABCD-EFGH (" +
                    aks::time_left(left) + " left)";
    expected += "\r\033[K" + aks::signed_in_line(t, "t1") + "\n";
    CHECK(f.prompt.str() == expected);
    CHECK(aks::signed_in_line(t, "t1").rfind("Signed in as user@example.com (tenant t1);", 0) == 0);
    CHECK(live.announced());
}

TEST_CASE("device code on a terminal: a failure leaves the status line closed for the error", "[device_code_flow]") {
    Fixture f;
    aks::SignInStatus live(f.prompt, 100);
    f.idp.script_token({{400, oauth_error_json("authorization_declined")}});
    CHECK_THROWS_AS(aks::run_device_code_flow(f.http, f.params(), live, f.time.clock(), f.time.sleeper()),
                    aks::AuthError);
    const std::string out = f.prompt.str();
    CHECK(out.back() == '\n');
    CHECK(out.find("(14:55 left)\n") != std::string::npos);
    CHECK_FALSE(live.announced());
}
