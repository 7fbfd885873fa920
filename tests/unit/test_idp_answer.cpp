#include "core/idp_answer.h"

#include <catch2/catch.hpp>

namespace {

const char* kind_name(aks::AnswerKind k) {
    switch (k) {
        case aks::AnswerKind::usable: return "usable";
        case aks::AnswerKind::oauth_error: return "oauth_error";
        case aks::AnswerKind::transient: return "transient";
        case aks::AnswerKind::final_status: return "final_status";
    }
    return "?";
}

}  // namespace

TEST_CASE("classify_answer: one table for every flow", "[idp_answer]") {
    const std::string token =
        R"({"token_type":"Bearer","expires_in":3599,"access_token":"eyJ0eXAiOiJKV1QifQ.eyJleHAiOjF9.c2ln"})";
    struct Case {
        int status;
        const char* type;
        std::string body;
        const char* kind;
        const char* detail;
    };
    const Case cases[] = {
        {200, "application/json", token, "usable", ""},
        {200, "application/json; charset=utf-8", R"({"token_type":"Bearer"})", "transient",
         "token response has no access_token"},
        {200, "application/json", R"({"access_token":"x"})", "transient", "token response has no expiry"},
        {200, "application/json", R"({"token_type":"Bearer","acc)", "transient", "not JSON: truncated or garbage"},
        {200, "application/json", "", "transient", "an empty body"},
        {200, "text/html", "<html>Hotel Wi-Fi</html>", "transient",
         "an HTML page, not the expected JSON: a proxy or captive portal?"},
        {200, "application/octet-stream", "  <!DOCTYPE html>", "transient",
         "an HTML page, not the expected JSON: a proxy or captive portal?"},
        {400, "application/json", R"({"error":"invalid_grant","error_codes":[700082]})", "oauth_error", ""},
        {401, "application/json", R"({"error":"invalid_client","error_codes":[7000215]})", "oauth_error", ""},
        {400, "application/json", R"({"error":"authorization_pending"})", "oauth_error", ""},
        {400, "application/json", R"({"error":"temporarily_unavailable"})", "transient", ""},
        {500, "application/json", R"({"error":"server_error","error_codes":[90033]})", "transient", "AADSTS90033"},
        {503, "text/html", "<html>down</html>", "transient", ""},
        {429, "application/json", R"({"error":"temporarily_unavailable","error_codes":[90055]})", "transient",
         "AADSTS90055"},
        {408, "text/plain", "", "transient", ""},
        {403, "text/html", "<html>Forbidden by proxy</html>", "transient",
         "an HTML page, not an OAuth answer: a proxy or captive portal?"},
        {302, "text/html", "", "transient", "an HTML page, not an OAuth answer: a proxy or captive portal?"},
        {302, "", "", "transient", "a redirect, not an OAuth answer: a proxy or captive portal?"},
        {404, "text/plain", "Not Found", "transient", "not an OAuth answer"},
    };
    for (const Case& c : cases) {
        INFO(c.status << " " << c.type << " " << c.body);
        const auto v = aks::classify_answer(c.status, c.type, c.body, aks::expect_token_response());
        CHECK(std::string(kind_name(v.kind)) == c.kind);
        CHECK(v.detail == c.detail);
        if (v.kind == aks::AnswerKind::oauth_error) CHECK(v.error.has_value());
    }
}

TEST_CASE("classify_answer: per-request statuses", "[idp_answer]") {
    aks::Expect imds = aks::expect_token_response();
    imds.transient_statuses = {404, 410};
    CHECK(aks::classify_answer(404, "application/json", R"({"error":"not_found"})", imds).kind ==
          aks::AnswerKind::transient);
    CHECK(aks::classify_answer(410, "", "", imds).kind == aks::AnswerKind::transient);
    CHECK(aks::classify_answer(400, "application/json", R"({"error":"invalid_request"})", imds).kind ==
          aks::AnswerKind::oauth_error);

    aks::Expect discovery = aks::expect_json_field("issuer");
    discovery.final_statuses = {404};
    CHECK(aks::classify_answer(404, "text/html", "<html/>", discovery).kind == aks::AnswerKind::final_status);
    CHECK(aks::classify_answer(200, "application/json", R"({"issuer":"https://x"})", discovery).kind ==
          aks::AnswerKind::usable);
    const auto missing = aks::classify_answer(200, "application/json", R"({"issuer":""})", discovery);
    CHECK(missing.kind == aks::AnswerKind::transient);
    CHECK(missing.detail == "no issuer in the answer");

    // No expectation: any JSON object will do.
    CHECK(aks::classify_answer(200, "application/json", "{}", aks::Expect{}).kind == aks::AnswerKind::usable);
    CHECK(aks::classify_answer(200, "application/json", "[]", aks::Expect{}).kind == aks::AnswerKind::transient);
}
