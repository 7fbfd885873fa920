#include <catch2/catch.hpp>

#include "local-proxy/headlamp_probe.h"

using namespace aks::proxy;

namespace {

HeadlampMode mode(bool service = false) {
    HeadlampMode m;
    m.cluster = "main";
    m.cookie_cluster = "main";
    m.via_service_proxy = service;
    return m;
}

ProbeAnswers healthy() {
    ProbeAnswers a;
    a.config = {200, R"({"clusters":[{"name":"main","server":"https://x"}]})"};
    a.probe_user = "aks-proxy-probe-abc";
    a.me = {200, R"({"username":"alice@contoso.example","email":"","groups":[]})"};
    a.review = {201, R"({"kind":"SelfSubjectReview","status":{"userInfo":{"username":"alice@contoso.example"}}})"};
    return a;
}

bool mentions(const std::vector<std::string>& lines, const std::string& text) {
    for (const auto& l : lines)
        if (l.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("a Headlamp that uses the user's token: nothing to say", "[headlamp_probe]") {
    CHECK(headlamp_findings(mode(), healthy()).empty());
    ProbeAnswers old = healthy();  // before /me existed (v0.38)
    old.me = {404, "404 page not found"};
    CHECK(headlamp_findings(mode(), old).empty());
    ProbeAnswers none;  // nothing answered (unreachable): no guesses
    CHECK(headlamp_findings(mode(), none).empty());
}

TEST_CASE("a --headlamp-cluster not among Headlamp's clusters", "[headlamp_probe]") {
    ProbeAnswers a = healthy();
    a.config.body = R"({"clusters":[{"name":"aks-prod"},{"name":"kind"}]})";
    const auto f = headlamp_findings(mode(), a);
    REQUIRE(f.size() == 1);
    CHECK(mentions(f, "no cluster named 'main' (it has: aks-prod, kind)"));
    CHECK(mentions(f, "--headlamp-cluster"));
    a.config = {404, "not found"};
    CHECK(mentions(headlamp_findings(mode(), a), "/config answered HTTP 404"));
}

TEST_CASE("Headlamp's -proxy-auth shows as /me believing X-Forwarded-User", "[headlamp_probe]") {
    ProbeAnswers a = healthy();
    a.me.body = R"({"username":"aks-proxy-probe-abc","email":""})";
    CHECK(mentions(headlamp_findings(mode(), a), "-proxy-auth"));
    a.me.body = R"({"username":"aks-proxy-probe-abcd"})";
    CHECK(headlamp_findings(mode(), a).empty());
}

TEST_CASE("Headlamp's -unsafe-use-service-account-token shows as a service account identity", "[headlamp_probe]") {
    ProbeAnswers a = healthy();
    a.review.body = R"({"status":{"userInfo":{"username":"system:serviceaccount:headlamp:headlamp"}}})";
    const auto f = headlamp_findings(mode(), a);
    REQUIRE(f.size() == 1);
    CHECK(mentions(f, "system:serviceaccount:headlamp:headlamp"));
    CHECK(mentions(f, "-unsafe-use-service-account-token"));
}

TEST_CASE("a 401 through --headlamp-service: a Headlamp that reads no token cookie", "[headlamp_probe]") {
    ProbeAnswers a = healthy();
    a.review = {401, R"({"kind":"Status","code":401})"};
    CHECK(mentions(headlamp_findings(mode(true), a), "before v0.35.0"));
    CHECK(headlamp_findings(mode(false), a).empty());  // --upstream: Authorization is enough
}
