#include <catch2/catch.hpp>
#include <string>

#include "core/base64url.h"
#include "core/errors.h"
#include "core/token_response.h"

namespace {

constexpr std::int64_t kNow = 1795305600;

std::string jwt(const std::string& payload_json) {
    return aks::base64url_encode(R"({"alg":"RS256"})") + "." + aks::base64url_encode(payload_json) + ".sig";
}

std::string error_of(const std::string& body) {
    try {
        aks::parse_token_response(body, kNow);
    } catch (const aks::AuthError& e) {
        return e.what();
    }
    FAIL("expected AuthError");
    return {};
}

}  // namespace

TEST_CASE("token response: numeric expires_in", "[token_response]") {
    const auto t = aks::parse_token_response(
        R"({"token_type":"Bearer","access_token":"opaque","expires_in":3599,"refresh_token":"rt"})", kNow);
    CHECK(t.access_token == "opaque");
    CHECK(t.token_type == "Bearer");
    CHECK(t.expires_on == kNow + 3599);
    CHECK(t.obtained_at == kNow);
    CHECK(t.refresh_token == "rt");
    CHECK(t.claims.upn.empty());  // not a JWT: empty claims
}

TEST_CASE("token response: string-valued numbers (IMDS style)", "[token_response]") {
    auto t = aks::parse_token_response(R"({"access_token":"a","expires_in":"86400"})", kNow);
    CHECK(t.expires_on == kNow + 86400);
    CHECK(t.token_type == "Bearer");  // default
    CHECK(t.refresh_token.empty());

    t = aks::parse_token_response(R"({"access_token":"a","expires_on":"1740028277","token_type":"bearer"})", kNow);
    CHECK(t.expires_on == 1740028277);
    CHECK(t.token_type == "bearer");
}

TEST_CASE("token response: expires_on wins over expires_in", "[token_response]") {
    const auto t = aks::parse_token_response(
        R"({"access_token":"a","expires_in":"3599","expires_on":"1795309000"})", kNow);
    CHECK(t.expires_on == 1795309000);
}

TEST_CASE("token response: unparseable expires_on falls back to expires_in", "[token_response]") {
    const auto t = aks::parse_token_response(
        R"({"access_token":"a","expires_in":60,"expires_on":"09/14/2017 00:00:00 PM +00:00"})", kNow);
    CHECK(t.expires_on == kNow + 60);
}

TEST_CASE("token response: neither expiry field uses the JWT exp", "[token_response]") {
    const std::string token = jwt(R"({"exp":1795309200,"upn":"alice@example.com","tid":"t1"})");
    const auto t = aks::parse_token_response(R"({"access_token":")" + token + R"("})", kNow);
    CHECK(t.expires_on == 1795309200);
    CHECK(t.claims.upn == "alice@example.com");
    CHECK(t.claims.tid == "t1");
}

TEST_CASE("token response: claims decoded even when expiry is explicit", "[token_response]") {
    const std::string token = jwt(R"({"exp":1,"oid":"o1"})");
    const auto t = aks::parse_token_response(R"({"access_token":")" + token + R"(","expires_in":10})", kNow);
    CHECK(t.expires_on == kNow + 10);
    CHECK(t.claims.oid == "o1");
    CHECK(t.claims.exp == 1);
}

TEST_CASE("token response: errors", "[token_response]") {
    CHECK(error_of(R"({"access_token":"opaque"})") == "token response has no expiry");
    CHECK(error_of(R"({"access_token":")" + jwt(R"({"upn":"x"})") + R"("})") == "token response has no expiry");
    CHECK(error_of(R"({"expires_in":3599})").find("access_token") != std::string::npos);
    CHECK(error_of(R"({"access_token":42,"expires_in":3599})").find("access_token") != std::string::npos);
    const std::string unreadable = "identity provider returned an unreadable token response (not JSON)";
    CHECK(error_of("") == unreadable);
    CHECK(error_of("[1,2]") == unreadable);
    CHECK(error_of("<html><body>Service Unavailable</body></html>") == unreadable);
}

TEST_CASE("token response: error messages never contain the body", "[token_response]") {
    const std::string secret = "eyJSECRET-TOKEN-TEXT";
    const std::string truncated = R"({"access_token":")" + secret + R"(","expires_in":35)";
    const std::string msg = error_of(truncated);
    CHECK(msg == "identity provider returned an unreadable token response (not JSON)");
    CHECK(msg.find(secret) == std::string::npos);
    CHECK(error_of(R"({"access_token":")" + secret + R"("})").find(secret) == std::string::npos);
    CHECK(error_of("<html>" + secret + "</html>").find(secret) == std::string::npos);
}
