#include <catch2/catch.hpp>
#include <picojson.h>

#include "core/errors.h"
#include "core/expiry.h"
#include "credential-plugin/exec_credential.h"

using aks::ExecInfo;
using aks::parse_exec_info;

namespace {

aks::Token sample_token() {
    aks::Token t;
    t.access_token = "eyJhbGciOiJSUzI1NiJ9.eyJ1cG4iOiJhIn0.c2ln";
    t.obtained_at = 1700000000;
    t.expires_on = 1700003600;  // one hour: margin 300 s
    return t;
}

picojson::object parse_object(const std::string& text) {
    picojson::value v;
    const std::string err = picojson::parse(v, text);
    REQUIRE(err.empty());
    REQUIRE(v.is<picojson::object>());
    return v.get<picojson::object>();
}

}  // namespace

TEST_CASE("exec info absent or empty means v1beta1, interactivity unknown", "[exec_credential]") {
    for (const auto& value : {std::optional<std::string>{}, std::optional<std::string>{""},
                              std::optional<std::string>{"  \n"}}) {
        const ExecInfo info = parse_exec_info(value);
        CHECK_FALSE(info.present);
        CHECK(info.api_version == aks::kExecApiV1beta1);
        CHECK_FALSE(info.interactive.has_value());
    }
}

TEST_CASE("exec info v1 and v1beta1 with spec.interactive", "[exec_credential]") {
    const ExecInfo v1 = parse_exec_info(std::string(
        R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":true}})"));
    CHECK(v1.present);
    CHECK(v1.api_version == "client.authentication.k8s.io/v1");
    REQUIRE(v1.interactive.has_value());
    CHECK(*v1.interactive);

    const ExecInfo beta = parse_exec_info(std::string(
        R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false,
            "cluster":{"server":"https://x","config":{"a":1}}}})"));
    CHECK(beta.api_version == "client.authentication.k8s.io/v1beta1");
    REQUIRE(beta.interactive.has_value());
    CHECK_FALSE(*beta.interactive);

    // kubelogin treats an empty apiVersion as v1beta1; a missing spec is fine.
    const ExecInfo empty_version = parse_exec_info(std::string(R"({"kind":"ExecCredential","apiVersion":""})"));
    CHECK(empty_version.present);
    CHECK(empty_version.api_version == aks::kExecApiV1beta1);
    CHECK_FALSE(empty_version.interactive.has_value());
}

TEST_CASE("unsupported exec info apiVersion is a usage error naming it", "[exec_credential]") {
    const std::string alpha =
        R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1alpha1","spec":{}})";
    CHECK_THROWS_AS(parse_exec_info(alpha), aks::UsageError);
    CHECK_THROWS_WITH(parse_exec_info(alpha),
                      Catch::Contains("unsupported KUBERNETES_EXEC_INFO apiVersion client.authentication.k8s.io/v1alpha1"));
    CHECK_THROWS_AS(parse_exec_info(std::string(R"({"apiVersion":"v2"})")), aks::UsageError);
}

TEST_CASE("malformed exec info is a one-line usage error", "[exec_credential]") {
    for (const std::string bad : {"{", "not json", "[]", "\"text\"", R"({"apiVersion":1})",
                                  R"({"apiVersion":"client.authentication.k8s.io/v1","spec":[]})",
                                  R"({"apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":"yes"}})",
                                  R"({"apiVersion":"client.authentication.k8s.io/v1"} trailing)"}) {
        INFO(bad);
        try {
            parse_exec_info(bad);
            FAIL("no exception");
        } catch (const aks::UsageError& e) {
            const std::string msg = e.what();
            CHECK(msg.find("KUBERNETES_EXEC_INFO") != std::string::npos);
            CHECK(msg.find('\n') == std::string::npos);
        }
    }
}

TEST_CASE("ExecCredential v1 output shape", "[exec_credential]") {
    ExecInfo info;
    info.present = true;
    info.api_version = aks::kExecApiV1;
    info.interactive = true;
    const aks::Token t = sample_token();
    const std::string out = aks::format_exec_credential(info, t);
    REQUIRE(out.back() == '\n');
    CHECK(std::count(out.begin(), out.end(), '\n') == 1);
    // Same field order as client-go's serialisation (what kubelogin prints).
    CHECK(out.rfind(R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{)", 0) == 0);

    const auto o = parse_object(out);
    CHECK(o.at("kind").get<std::string>() == "ExecCredential");
    CHECK(o.at("apiVersion").get<std::string>() == "client.authentication.k8s.io/v1");
    CHECK(o.at("spec").get<picojson::object>().at("interactive").get<bool>());
    const auto& status = o.at("status").get<picojson::object>();
    CHECK(status.size() == 2);
    CHECK(status.at("token").get<std::string>() == t.access_token);
    // expires_on - margin: 1700003600 - 300 = 2023-11-14T23:08:20Z
    CHECK(status.at("expirationTimestamp").get<std::string>() == "2023-11-14T23:08:20Z");
    CHECK(status.at("expirationTimestamp").get<std::string>() == aks::rfc3339_utc(t.expires_on - 300));
}

TEST_CASE("ExecCredential v1beta1 output has an empty spec", "[exec_credential]") {
    const aks::Token t = sample_token();
    const std::string out = aks::format_exec_credential(parse_exec_info(std::nullopt), t);
    const auto o = parse_object(out);
    CHECK(o.at("apiVersion").get<std::string>() == "client.authentication.k8s.io/v1beta1");
    CHECK(o.at("spec").get<picojson::object>().empty());
    CHECK(o.at("status").get<picojson::object>().at("token").get<std::string>() == t.access_token);

    ExecInfo v1_unknown;
    v1_unknown.api_version = aks::kExecApiV1;
    const auto o1 = parse_object(aks::format_exec_credential(v1_unknown, t));
    CHECK_FALSE(o1.at("spec").get<picojson::object>().at("interactive").get<bool>());
}

TEST_CASE("expirationTimestamp uses the shrunk margin for short-lived tokens", "[exec_credential]") {
    aks::Token t = sample_token();
    t.obtained_at = 1700000000;
    t.expires_on = 1700000000 + 120;  // margin = 60 s
    const auto o = parse_object(aks::format_exec_credential(ExecInfo{}, t));
    CHECK(o.at("status").get<picojson::object>().at("expirationTimestamp").get<std::string>() ==
          aks::rfc3339_utc(1700000060));
}

