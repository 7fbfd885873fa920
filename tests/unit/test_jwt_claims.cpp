#include <catch2/catch.hpp>
#include <string>

#include "core/base64url.h"
#include "core/jwt_claims.h"

namespace {

std::string jwt(const std::string& payload_json) {
    return aks::base64url_encode(R"({"alg":"RS256","typ":"JWT"})") + "." + aks::base64url_encode(payload_json) +
           ".c2lnbmF0dXJl";
}

}  // namespace

TEST_CASE("jwt claims: Entra v1 token fields", "[jwt_claims]") {
    const auto c = aks::decode_jwt_claims(jwt(R"({
        "aud":"6dae42f8-4368-4678-94ff-3960e28e3630",
        "iss":"https://sts.windows.net/tenant-1/",
        "exp":1795305600, "oid":"object-1", "tid":"tenant-1",
        "upn":"alice@example.com", "unique_name":"other@example.com",
        "groups":["g1","g2","g3"]})"));
    REQUIRE(c);
    CHECK(c->upn == "alice@example.com");
    CHECK(c->aud == "6dae42f8-4368-4678-94ff-3960e28e3630");
    CHECK(c->iss == "https://sts.windows.net/tenant-1/");
    CHECK(c->exp == 1795305600);
    CHECK(c->oid == "object-1");
    CHECK(c->tid == "tenant-1");
    CHECK(c->groups_count == 3);
    CHECK_FALSE(c->groups_overage);
}

TEST_CASE("jwt claims: upn falls back in order", "[jwt_claims]") {
    auto upn = [](const std::string& json) {
        const auto c = aks::decode_jwt_claims(jwt(json));
        REQUIRE(c);
        return c->upn;
    };
    CHECK(upn(R"({"unique_name":"u","preferred_username":"p","email":"e","appid":"a","azp":"z"})") == "u");
    CHECK(upn(R"({"preferred_username":"p","email":"e","appid":"a","azp":"z"})") == "p");
    CHECK(upn(R"({"email":"e","appid":"a","azp":"z"})") == "e");
    CHECK(upn(R"({"appid":"a","azp":"z"})") == "a");
    CHECK(upn(R"({"azp":"z"})") == "z");
    CHECK(upn(R"({"upn":"","unique_name":"u"})") == "u");  // empty does not count
    CHECK(upn(R"({"upn":42,"azp":"z"})") == "z");           // nor a non-string
    CHECK(upn(R"({})").empty());
}

TEST_CASE("jwt claims: aud array, string exp, overage", "[jwt_claims]") {
    auto c = aks::decode_jwt_claims(jwt(R"({"aud":["first","second"],"exp":"1795305600"})"));
    REQUIRE(c);
    CHECK(c->aud == "first");
    CHECK(c->exp == 1795305600);
    CHECK(c->groups_count == 0);

    c = aks::decode_jwt_claims(jwt(R"({"aud":[],"exp":"soon"})"));
    REQUIRE(c);
    CHECK(c->aud.empty());
    CHECK(c->exp == 0);

    c = aks::decode_jwt_claims(
        jwt(R"({"_claim_names":{"groups":"src1"},"_claim_sources":{"src1":{"endpoint":"https://graph"}}})"));
    REQUIRE(c);
    CHECK(c->groups_overage);
    CHECK(c->groups_count == 0);

    c = aks::decode_jwt_claims(jwt(R"({"hasgroups":true})"));
    REQUIRE(c);
    CHECK(c->groups_overage);

    c = aks::decode_jwt_claims(jwt(R"({"_claim_names":{"other":"src1"},"groups":"notarray"})"));
    REQUIRE(c);
    CHECK_FALSE(c->groups_overage);
    CHECK(c->groups_count == 0);
}

TEST_CASE("jwt claims: unsigned token with empty signature part", "[jwt_claims]") {
    const std::string token = aks::base64url_encode("{}") + "." + aks::base64url_encode(R"({"upn":"x"})") + ".";
    const auto c = aks::decode_jwt_claims(token);
    REQUIRE(c);
    CHECK(c->upn == "x");
}

TEST_CASE("jwt claims: malformed tokens give nullopt", "[jwt_claims]") {
    const std::string header = aks::base64url_encode("{}");
    const std::string payload = aks::base64url_encode(R"({"upn":"x"})");
    CHECK_FALSE(aks::decode_jwt_claims(""));
    CHECK_FALSE(aks::decode_jwt_claims("opaque-access-token"));
    CHECK_FALSE(aks::decode_jwt_claims(header + "." + payload));                   // 2 parts
    CHECK_FALSE(aks::decode_jwt_claims(header + "." + payload + ".sig.extra"));    // 4 parts
    CHECK_FALSE(aks::decode_jwt_claims(header + ".!!!." + "sig"));                 // bad base64
    CHECK_FALSE(aks::decode_jwt_claims(header + "." + aks::base64url_encode("[1,2]") + ".sig"));
    CHECK_FALSE(aks::decode_jwt_claims(header + "." + aks::base64url_encode("\"str\"") + ".sig"));
    CHECK_FALSE(aks::decode_jwt_claims(header + "." + aks::base64url_encode("{\"upn\":") + ".sig"));
    CHECK_FALSE(aks::decode_jwt_claims(header + ".." + "sig"));                    // empty payload
}
