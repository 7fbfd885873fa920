#include <catch2/catch.hpp>

#include "local-proxy/headlamp_request.h"

using namespace aks::proxy;

namespace {

HeadlampMode mode(bool service = false) {
    HeadlampMode m;
    m.cluster = "aks.prod";
    m.cookie_cluster = "aksprod";
    m.base = "/headlamp/";
    m.via_service_proxy = service;
    return m;
}

std::string value(const http::fields& f, boost::beast::string_view name) {
    auto it = f.find(name);
    return it == f.end() ? std::string("<none>") : std::string(it->value());
}

}  // namespace

TEST_CASE("identity headers Headlamp believes with --proxy-auth never reach it", "[headlamp_request]") {
    http::fields f;
    f.set("X-Forwarded-Id-Token", "someone-elses-token");
    f.set("x-forwarded-user", "admin");
    f.set("X-Forwarded-Group", "system:masters");
    f.set("X-Forwarded-Email", "admin@example.com");
    f.set("X-Forwarded-Proto", "https");  // not identity: Headlamp only picks Secure cookies from it
    f.set(http::field::accept, "application/json");
    rewrite_headlamp_request(f, "/headlamp/clusters/aks.prod/api/v1/pods", mode(), "tok");
    CHECK(value(f, "X-Forwarded-Id-Token") == "<none>");
    CHECK(value(f, "X-Forwarded-User") == "<none>");
    CHECK(value(f, "X-Forwarded-Group") == "<none>");
    CHECK(value(f, "X-Forwarded-Email") == "<none>");
    CHECK(value(f, "X-Forwarded-Proto") == "https");
    CHECK(value(f, "Accept") == "application/json");
    CHECK(value(f, "Cookie") == "headlamp-auth-aksprod.0=tok");
    for (const char* h : {"X-Forwarded-Id-Token", "X-FORWARDED-USER", "x-forwarded-group", "X-Forwarded-Email"})
        CHECK(is_headlamp_identity_header(h));
    CHECK_FALSE(is_headlamp_identity_header("X-Forwarded-For"));
    CHECK_FALSE(is_headlamp_identity_header("x-forwarded-host"));
    CHECK_FALSE(is_headlamp_identity_header("X-Forwarded-Proto"));
}

// Headlamp's proxy-auth header names are flags (backend/pkg/config/config.go,
// v0.45.0: -proxy-auth-username-header and friends), and oauth2-proxy-style
// set-ups use X-Forwarded-Groups, -Preferred-Username, -Access-Token and
// X-Auth-Request-*: none of them may come from the client
// (fuzz_proxy_request found X-Forwarded-Ookie going through).
TEST_CASE("every X-Forwarded-* but For/Proto/Host and every X-Auth-Request-* is an identity claim",
          "[headlamp_request]") {
    for (const char* h : {"X-Forwarded-Groups", "X-Forwarded-Preferred-Username", "x-forwarded-access-token",
                          "X-Forwarded-Ookie", "X-Forwarded-", "X-Forwarded-Forx", "X-Forwarded-Fo", "X-Auth-Request-User",
                          "x-auth-request-email"})
        CHECK(is_headlamp_identity_header(h));
    for (const char* h : {"X-Forwarded", "Forwarded-User", "X-Auth-Request", "Accept"})
        CHECK_FALSE(is_headlamp_identity_header(h));
    http::fields f;
    f.set("X-Forwarded-Groups", "system:masters");
    f.set("X-Auth-Request-User", "admin");
    rewrite_headlamp_request(f, "/headlamp/", mode(), "tok");
    CHECK(value(f, "X-Forwarded-Groups") == "<none>");
    CHECK(value(f, "X-Auth-Request-User") == "<none>");
}

TEST_CASE("cookies: stale token and aks-proxy cookies out, fresh chunks in, others kept", "[headlamp_request]") {
    http::fields f;
    f.insert(http::field::cookie, "headlamp-auth-aksprod.0=stale; theme=dark");
    f.insert(http::field::cookie, "aks-proxy-8000=secret; headlamp-auth-aksprod=pasted");
    rewrite_headlamp_request(f, "/headlamp/clusters/aks.prod/api/v1/pods", mode(), "fresh");
    CHECK(f.count(http::field::cookie) == 1);
    CHECK(value(f, "Cookie") == "theme=dark; headlamp-auth-aksprod.0=fresh");

    http::fields none;
    none.set(http::field::cookie, "aks-proxy-8000=secret");
    rewrite_headlamp_request(none, "/headlamp/", mode(), "");
    CHECK(none.count(http::field::cookie) == 0);
}

TEST_CASE("bearer-token WebSocket subprotocols are removed, others kept", "[headlamp_request]") {
    struct Row {
        const char* in;
        const char* out;
    };
    const Row rows[] = {
        {"base64.binary.k8s.io", "base64.binary.k8s.io"},
        {"base64.binary.k8s.io, base64url.bearer.authorization.k8s.io.dG9r", "base64.binary.k8s.io"},
        {"base64url.bearer.authorization.k8s.io.dG9r", "<none>"},
        {"headlamp.multiplexer.k8s.io,Base64url.Bearer.Authorization.k8s.io.x,v5.channel.k8s.io",
         "headlamp.multiplexer.k8s.io, v5.channel.k8s.io"},
    };
    for (const Row& r : rows) {
        INFO(r.in);
        http::fields f;
        f.set(http::field::sec_websocket_protocol, r.in);
        rewrite_headlamp_request(f, "/headlamp/clusters/aks.prod/api/v1/pods", mode(), "tok");
        CHECK(value(f, "Sec-WebSocket-Protocol") == r.out);
    }
}

TEST_CASE("a browser-supplied kubeconfig is dropped for the cluster we serve only", "[headlamp_request]") {
    for (const char* path : {"/headlamp/clusters/aks.prod/api/v1/pods", "/headlamp/clusters/aks.prod"}) {
        http::fields f;
        f.set("KUBECONFIG", "YXBpVmVyc2lvbjogdjE=");
        f.set("X-HEADLAMP-USER-ID", "u1");
        rewrite_headlamp_request(f, path, mode(), "tok");
        CHECK(value(f, "KUBECONFIG") == "<none>");
        CHECK(value(f, "X-HEADLAMP-USER-ID") == "<none>");
    }
    for (const char* path : {"/headlamp/clusters/other/api/v1/pods", "/headlamp/clusters/aks.prod2/api"}) {
        http::fields f;
        f.set("KUBECONFIG", "YXBpVmVyc2lvbjogdjE=");
        rewrite_headlamp_request(f, path, mode(), "tok");
        CHECK(value(f, "KUBECONFIG") == "YXBpVmVyc2lvbjogdjE=");
    }
}

TEST_CASE("another cluster name gets no token: Headlamp would pass Authorization on to that cluster",
          "[headlamp_request]") {
    for (const char* path : {"/headlamp/clusters/other/api/v1/pods", "/headlamp/clusters/aks.prod2/api",
                             "/headlamp/clusters/AKS.prod/version", "/headlamp/clusters/x"}) {
        CAPTURE(path);
        http::fields f;
        f.set(http::field::authorization, "Bearer tok");
        f.set(http::field::cookie, "headlamp-auth-other.0=theirs; theme=dark");
        rewrite_headlamp_request(f, path, mode(), "tok");
        CHECK(value(f, "Authorization") == "<none>");
        CHECK(value(f, "Cookie") == "theme=dark");
    }
    // Through --headlamp-service the API server takes Authorization itself.
    http::fields f;
    f.set(http::field::authorization, "Bearer tok");
    rewrite_headlamp_request(f, "/headlamp/clusters/other/api/v1/pods", mode(true), "tok");
    CHECK(value(f, "Authorization") == "Bearer tok");
    CHECK(value(f, "Cookie") == "<none>");
    // Only our cluster's routes and the multiplexer (whose messages must name our cluster) get it.
    for (const char* path : {"/headlamp/clusters/aks.prod/api/v1/pods", "/headlamp/clusters/aks.prod",
                             "/headlamp/wsMultiplexer"}) {
        CAPTURE(path);
        http::fields g;
        g.set(http::field::authorization, "Bearer tok");
        rewrite_headlamp_request(g, path, mode(), "tok");
        CHECK(value(g, "Authorization") == "Bearer tok");
        CHECK(value(g, "Cookie") == "headlamp-auth-aksprod.0=tok");
    }
    // Second review, finding 2: /drain-node names its cluster in the body, and
    // Headlamp uses Authorization for it; pages and the rest need no token.
    for (const char* path : {"/headlamp/", "/headlamp/config", "/headlamp/drain-node", "/headlamp/drain-node-status",
                             "/headlamp/cluster", "/headlamp/parseKubeConfig", "/headlamp/auth/set-token",
                             "/headlamp/static/js/main.js", "/headlamp/wsMultiplexer/x"}) {
        CAPTURE(path);
        http::fields g;
        g.set(http::field::authorization, "Bearer tok");
        rewrite_headlamp_request(g, path, mode(), "tok");
        CHECK(value(g, "Authorization") == "<none>");
        CHECK(value(g, "Cookie") == "<none>");
    }
}

TEST_CASE("no token cookie where the API server hands the request to a workload", "[headlamp_request]") {
    for (const char* path : {"/headlamp/clusters/aks.prod/api/v1/namespaces/d/services/web/proxy/",
                             "/headlamp/clusters/aks.prod/api/v1/namespaces/d/services/https:web:443/proxy/x",
                             "/headlamp/clusters/aks.prod/api/v1/namespaces/d/pods/web-0/proxy",
                             "/headlamp/clusters/aks.prod/api/v1/nodes/n1/proxy/metrics"}) {
        CAPTURE(path);
        for (const bool service : {false, true}) {
            http::fields g;
            g.set(http::field::authorization, "Bearer tok");
            rewrite_headlamp_request(g, path, mode(service), "tok");
            CHECK(value(g, "Authorization") == "Bearer tok");  // the API server consumes it
            CHECK(value(g, "Cookie") == "<none>");
        }
    }
    // Not a proxy subresource: a pod named "proxy", a namespace "proxy".
    for (const char* path : {"/headlamp/clusters/aks.prod/api/v1/namespaces/d/pods/proxy",
                             "/headlamp/clusters/aks.prod/api/v1/namespaces/proxy/pods"}) {
        CAPTURE(path);
        http::fields g;
        rewrite_headlamp_request(g, path, mode(), "tok");
        CHECK(value(g, "Cookie") == "headlamp-auth-aksprod.0=tok");
    }
}

TEST_CASE("the API path Headlamp sends upstream, for the filters", "[headlamp_request]") {
    const auto api = [](std::string_view p) { return headlamp_api_path(p, mode()).value_or("<none>"); };
    CHECK(api("/headlamp/clusters/aks.prod/api/v1/namespaces/d/pods/w/exec") == "/api/v1/namespaces/d/pods/w/exec");
    CHECK(api("/headlamp/clusters/other/api/v1/nodes/n/proxy/run/x") == "/api/v1/nodes/n/proxy/run/x");
    CHECK(api("/headlamp/clusters/aks.prod/") == "/");
    CHECK(api("/headlamp/clusters/aks.prod") == "<none>");
    CHECK(api("/headlamp/clusters//api/v1") == "<none>");
    CHECK(api("/headlamp/config") == "<none>");
    CHECK(api("/clusters/aks.prod/api/v1/pods") == "<none>");  // not under the base: Headlamp does not route it
}

TEST_CASE("no token goes to /externalproxy, which copies every header to another URL", "[headlamp_request]") {
    http::fields f;
    f.set(http::field::authorization, "Bearer tok");
    f.set(http::field::cookie, "headlamp-auth-aksprod.0=stale; theme=dark");
    f.set("proxy-to", "https://artifacthub.io/api/v1/packages");
    rewrite_headlamp_request(f, "/headlamp/externalproxy", mode(), "tok");
    CHECK(value(f, "Authorization") == "<none>");
    CHECK(value(f, "Cookie") == "theme=dark");

    // Through the API server's service proxy, Authorization is consumed there.
    http::fields s;
    s.set(http::field::authorization, "Bearer tok");
    rewrite_headlamp_request(s, "/headlamp/externalproxy", mode(true), "tok");
    CHECK(value(s, "Authorization") == "Bearer tok");
    CHECK(value(s, "Cookie") == "<none>");
}
