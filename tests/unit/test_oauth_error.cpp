#include "core/oauth_error.h"

#include <catch2/catch.hpp>

#include "core/errors.h"

TEST_CASE("parse_oauth_error reads Entra's error body", "[oauth_error]") {
    const std::string body = R"({
        "error": "invalid_grant",
        "error_description": "AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '6dae42f8-4368-4678-94ff-3960e28e3630'.\r\nTrace ID: 0000aaaa-11bb-cccc-dd22-eeeeee333333\r\nCorrelation ID: 1111bbbb-22cc-dddd-ee33-ffffff444444\r\nTimestamp: 2024-01-01 00:00:00Z",
        "error_codes": [50076],
        "timestamp": "2024-01-01 00:00:00Z",
        "trace_id": "0000aaaa-11bb-cccc-dd22-eeeeee333333",
        "correlation_id": "1111bbbb-22cc-dddd-ee33-ffffff444444",
        "error_uri": "https://login.microsoftonline.com/error?code=50076"
    })";
    auto e = aks::parse_oauth_error(body);
    REQUIRE(e);
    CHECK(e->error == "invalid_grant");
    CHECK(e->error_codes == std::vector<long>{50076});
    CHECK(e->trace_id == "0000aaaa-11bb-cccc-dd22-eeeeee333333");
    CHECK(e->correlation_id == "1111bbbb-22cc-dddd-ee33-ffffff444444");

    const std::string msg = aks::describe_oauth_error("device code sign-in failed", *e);
    CHECK(msg ==
          "device code sign-in failed: AADSTS50076 (invalid_grant): Due to a configuration change made by your "
          "administrator, or because you moved to a new location, you must use multi-factor authentication to access "
          "'6dae42f8-4368-4678-94ff-3960e28e3630'. Advice: multi-factor authentication is required: sign in again "
          "interactively with 'aks-token login' (trace id 0000aaaa-11bb-cccc-dd22-eeeeee333333)");
    CHECK(msg.find('\r') == std::string::npos);
    CHECK(msg.find('\n') == std::string::npos);
}

TEST_CASE("error codes may be numeric strings or only in the description", "[oauth_error]") {
    auto a = aks::parse_oauth_error(R"({"error":"invalid_client","error_codes":["7000215"]})");
    REQUIRE(a);
    CHECK(a->error_codes == std::vector<long>{7000215});

    auto b = aks::parse_oauth_error(R"({"error":"invalid_request","error_description":"AADSTS90002: Tenant 'x' not found."})");
    REQUIRE(b);
    CHECK(b->error_codes == std::vector<long>{90002});
    CHECK(aks::describe_oauth_error("refreshing the token failed", *b) ==
          "refreshing the token failed: AADSTS90002 (invalid_request): Tenant 'x' not found. Advice: the tenant was "
          "not found: check --tenant-id");

    auto c = aks::parse_oauth_error(R"({"error":"authorization_pending"})");
    REQUIRE(c);
    CHECK(c->error_codes.empty());
    CHECK(aks::describe_oauth_error("x", *c) == "x: authorization_pending");
}

TEST_CASE("bodies that are not OAuth errors", "[oauth_error]") {
    CHECK_FALSE(aks::parse_oauth_error("<html>502 Bad Gateway</html>"));
    CHECK_FALSE(aks::parse_oauth_error(""));
    CHECK_FALSE(aks::parse_oauth_error("[1,2]"));
    CHECK_FALSE(aks::parse_oauth_error(R"({"error":42})"));
    CHECK_FALSE(aks::parse_oauth_error(R"({"access_token":"x"})"));
}

TEST_CASE("advice for the common AADSTS codes", "[oauth_error]") {
    for (long code : {50076L, 50079L}) CHECK(aks::aadsts_advice(code).find("multi-factor") != std::string::npos);
    for (long code : {53000L, 53003L}) CHECK(aks::aadsts_advice(code).find("Conditional Access") != std::string::npos);
    CHECK(aks::aadsts_advice(65001).find("consent") != std::string::npos);
    for (long code : {70043L, 700082L, 50173L}) CHECK(aks::aadsts_advice(code).find("sign in again") != std::string::npos);
    for (long code : {7000215L, 7000222L}) CHECK(aks::aadsts_advice(code).find("client secret") != std::string::npos);
    CHECK(aks::aadsts_advice(700016).find("--client-id") != std::string::npos);
    CHECK(aks::aadsts_advice(90002).find("--tenant-id") != std::string::npos);
    for (long code : {700213L, 70021L}) CHECK(aks::aadsts_advice(code).find("federated") != std::string::npos);
    CHECK(aks::aadsts_advice(12345).empty());
}

TEST_CASE("long or hostile descriptions become one short line", "[oauth_error]") {
    aks::OAuthError e;
    e.error = "invalid_grant";
    e.error_description = std::string(500, 'a') + "\x1b[31m";
    const std::string msg = aks::describe_oauth_error("x", e);
    CHECK(msg.size() < 260);
    CHECK(msg.find("...") != std::string::npos);

    e.error_description = "first line\x1b[2J\nsecond line";
    const std::string msg2 = aks::describe_oauth_error("x", e);
    CHECK(msg2 == "x: invalid_grant: first line [2J");
}

TEST_CASE("throw_oauth_error: dead grants are GrantRejected, other errors AuthError", "[oauth_error]") {
    for (const char* dead : {"invalid_grant", "interaction_required", "login_required", "consent_required",
                             "account_selection_required"}) {
        INFO(dead);
        aks::OAuthError e;
        e.error = dead;
        CHECK(aks::is_dead_grant(e));
        CHECK_THROWS_AS(aks::throw_oauth_error("x", e), aks::GrantRejected);
    }
    for (const char* other : {"invalid_client", "unauthorized_client", "invalid_request", "invalid_scope",
                              "unsupported_grant_type", "access_denied"}) {
        INFO(other);
        aks::OAuthError e;
        e.error = other;
        CHECK_FALSE(aks::is_dead_grant(e));
        try {
            aks::throw_oauth_error("x", e);
        } catch (const aks::GrantRejected&) {
            FAIL("not a dead grant");
        } catch (const aks::AuthError& err) {
            CHECK(std::string(err.what()) == std::string("x: ") + other);
        }
    }
}
