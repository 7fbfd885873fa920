#include <catch2/catch.hpp>

#include "core/errors.h"
#include "local-proxy/request_filter.h"

using aks::proxy::FilterSpec;
using aks::proxy::FilterVerdict;
using aks::proxy::RequestFilter;

TEST_CASE("RequestFilter: kubectl proxy's defaults", "[request_filter]") {
    const RequestFilter f{FilterSpec{}};
    CHECK(f.check("GET", "/api/v1/pods", "localhost") == FilterVerdict::Accept);
    CHECK(f.check("GET", "/api/v1/pods", "127.0.0.1") == FilterVerdict::Accept);
    CHECK(f.check("GET", "/api/v1/pods", "[::1]") == FilterVerdict::Accept);
    CHECK(f.check("GET", "/api/v1/pods", "evil.example") == FilterVerdict::RejectHost);
    CHECK(f.check("GET", "/api/v1/pods", "localhost.evil.example") == FilterVerdict::RejectHost);
    CHECK(f.check("GET", "/api/v1/pods", "127.0.0.1.nip.io") == FilterVerdict::RejectHost);
    CHECK(f.check("POST", "/api/v1/namespaces/default/pods/web/exec", "localhost") == FilterVerdict::RejectPath);
    CHECK(f.check("GET", "/api/v1/namespaces/default/pods/web/attach", "localhost") == FilterVerdict::RejectPath);
    CHECK(f.check("GET", "/api/v1/namespaces/default/pods/web/portforward", "localhost") == FilterVerdict::Accept);
    CHECK(f.check("GET", "/api/v1/namespaces/default/pods/web/log", "localhost") == FilterVerdict::Accept);
}

TEST_CASE("RequestFilter: the default also refuses the kubelet's run, exec and attach via nodes/proxy",
          "[request_filter]") {
    const RequestFilter f{FilterSpec{}};
    struct Row {
        const char* method;
        const char* path;
        FilterVerdict verdict;
    } rows[] = {
        // kubelet /run, /exec, /attach (pkg/kubelet/server/server.go), with and without the pod UID.
        {"POST", "/api/v1/nodes/aks-node-1/proxy/run/default/web-0/app", FilterVerdict::RejectPath},
        {"POST", "/api/v1/nodes/aks-node-1/proxy/run/default/web-0/0f1e2d/app", FilterVerdict::RejectPath},
        {"GET", "/api/v1/nodes/aks-node-1/proxy/exec/default/web-0/app", FilterVerdict::RejectPath},
        {"POST", "/api/v1/nodes/aks-node-1/proxy/exec/default/web-0/0f1e2d/app", FilterVerdict::RejectPath},
        {"GET", "/api/v1/nodes/aks-node-1/proxy/attach/default/web-0/app", FilterVerdict::RejectPath},
        {"GET", "/api/v1/nodes/aks-node-1:10250/proxy/exec/default/web-0/app", FilterVerdict::RejectPath},
        {"GET", "/api/v1/nodes/https:aks-node-1:10250/proxy/exec/kube-system/x/y", FilterVerdict::RejectPath},
        {"GET", "/api/v1/nodes/aks-node-1/proxy/exec", FilterVerdict::RejectPath},
        {"GET", "/api/v1/nodes/aks-node-1/proxy/exec/", FilterVerdict::RejectPath},
        // The rest of the kubelet API stays open: logs, stats, metrics, pods, and
        // port-forward (as pods/portforward and pods/proxy are).
        {"GET", "/api/v1/nodes/aks-node-1/proxy/portForward/default/web-0", FilterVerdict::Accept},
        {"GET", "/api/v1/nodes/aks-node-1/proxy/containerLogs/default/web-0/app", FilterVerdict::Accept},
        {"GET", "/api/v1/nodes/aks-node-1/proxy/runningpods/", FilterVerdict::Accept},
        {"GET", "/api/v1/nodes/aks-node-1/proxy/stats/summary", FilterVerdict::Accept},
        {"GET", "/api/v1/nodes/aks-node-1/proxy/metrics/cadvisor", FilterVerdict::Accept},
        {"GET", "/api/v1/nodes/aks-node-1/proxy/pods", FilterVerdict::Accept},
        {"GET", "/api/v1/nodes/aks-node-1/proxy/executor", FilterVerdict::Accept},
        {"GET", "/api/v1/nodes/exec/proxy/metrics", FilterVerdict::Accept},
        {"GET", "/api/v1/nodes/aks-node-1/proxy/logs/exec/x", FilterVerdict::Accept},
        {"GET", "/api/v1/nodes/aks-node-1", FilterVerdict::Accept},
        {"GET", "/api/v1/nodes", FilterVerdict::Accept},
    };
    for (const Row& r : rows) {
        INFO(r.method << " " << r.path);
        CHECK(f.check(r.method, r.path, "127.0.0.1") == r.verdict);
    }
    // A --reject-paths given replaces the whole default, as in kubectl proxy.
    FilterSpec kubectls;
    kubectls.reject_paths = "^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach";
    const RequestFilter k{kubectls};
    CHECK(k.check("GET", "/api/v1/nodes/aks-node-1/proxy/exec/default/web-0/app", "127.0.0.1") == FilterVerdict::Accept);
    CHECK(k.check("GET", "/api/v1/namespaces/default/pods/web-0/exec", "127.0.0.1") == FilterVerdict::RejectPath);
}

TEST_CASE("RequestFilter: custom lists; rejects win", "[request_filter]") {
    FilterSpec spec;
    spec.accept_hosts = "^myhost$";
    spec.accept_paths = "^/api/,^/version$";
    spec.reject_paths = "^$";
    spec.reject_methods = "^DELETE$,^PATCH$";
    const RequestFilter f{spec};
    CHECK(f.check("GET", "/api/v1/namespaces/default/pods/web/exec", "myhost") == FilterVerdict::Accept);
    CHECK(f.check("GET", "/apis/apps/v1", "myhost") == FilterVerdict::RejectPath);
    CHECK(f.check("GET", "/version", "myhost") == FilterVerdict::Accept);
    CHECK(f.check("DELETE", "/api/v1/namespaces/x", "myhost") == FilterVerdict::RejectMethod);
    CHECK(f.check("GET", "/version", "localhost") == FilterVerdict::RejectHost);
}

TEST_CASE("RequestFilter: a bad expression names its flag", "[request_filter]") {
    FilterSpec spec;
    spec.reject_paths = "^/api/(";
    try {
        RequestFilter f{spec};
        FAIL("no error");
    } catch (const aks::UsageError& e) {
        CHECK(std::string(e.what()).find("--reject-paths") != std::string::npos);
    }
}

TEST_CASE("is_long_lived: watches and followed logs", "[request_filter]") {
    using aks::proxy::is_long_lived;
    CHECK(is_long_lived("/api/v1/pods?watch=true"));
    CHECK(is_long_lived("/api/v1/pods?resourceVersion=1&watch=1"));
    CHECK(is_long_lived("/api/v1/namespaces/d/pods/p/log?container=c&follow=true"));
    CHECK_FALSE(is_long_lived("/api/v1/pods"));
    CHECK_FALSE(is_long_lived("/api/v1/pods?watch=false"));
    CHECK_FALSE(is_long_lived("/api/v1/pods?xwatch=true"));
}

TEST_CASE("RequestFilter: Go regexp semantics on RE2", "[request_filter]") {
    FilterSpec spec;
    spec.accept_paths = "(?i)^/API/,\\d+$";  // Go's flags and Perl classes
    spec.reject_paths = "secret";             // unanchored: a match anywhere, like MatchString
    spec.reject_methods = "^(DELETE|PATCH)$";
    const RequestFilter f{spec};
    CHECK(f.check("GET", "/api/v1/pods", "localhost") == FilterVerdict::Accept);
    CHECK(f.check("GET", "/version/42", "localhost") == FilterVerdict::Accept);
    CHECK(f.check("GET", "/version", "localhost") == FilterVerdict::RejectPath);
    CHECK(f.check("GET", "/api/v1/namespaces/x/secrets", "localhost") == FilterVerdict::RejectPath);
    CHECK(f.check("PATCH", "/api/v1/pods", "localhost") == FilterVerdict::RejectMethod);
    CHECK(f.check("PATCHX", "/api/v1/pods", "localhost") == FilterVerdict::Accept);
    // "." does not match a newline unless (?s), as in Go.
    FilterSpec dot;
    dot.reject_paths = "^/a.b$";
    CHECK(RequestFilter{dot}.check("GET", "/a\nb", "localhost") == FilterVerdict::Accept);
    // UTF-8 as in Go: "." is one rune, so "é" (two bytes) matches it.
    CHECK(RequestFilter{dot}.check("GET", "/a\xC3\xA9" "b", "localhost") == FilterVerdict::RejectPath);
    CHECK(RequestFilter{dot}.check("GET", "/axb", "localhost") == FilterVerdict::RejectPath);
}

TEST_CASE("RequestFilter: linear time; a huge path neither crashes nor takes long", "[request_filter]") {
    // std::regex recursed once per character and overflowed the stack at
    // ~28,000 characters (issue #11, defect 2).
    const RequestFilter f{FilterSpec{}};
    const std::string path = "/api/v1/namespaces/x/pods/" + std::string(4 * 1024 * 1024, 'a') + "/exec";
    CHECK(f.check("GET", path, "localhost") == FilterVerdict::RejectPath);
    CHECK(f.check("GET", "/api/" + std::string(1024 * 1024, 'a'), "localhost") == FilterVerdict::Accept);
}

TEST_CASE("RequestFilter: lists split like kubectl's, but no empty expression", "[request_filter]") {
    FilterSpec none;
    none.reject_methods = "";  // kubectl: "" is no expression at all
    none.reject_paths = "";
    CHECK(RequestFilter{none}.check("DELETE", "/api/v1/namespaces/d/pods/p/exec", "localhost") == FilterVerdict::Accept);
    FilterSpec no_hosts;
    no_hosts.accept_hosts = "";
    CHECK(RequestFilter{no_hosts}.check("GET", "/", "localhost") == FilterVerdict::RejectHost);
    for (const char* list : {"^/api/,", ",^/api/", "^/a,,^/b"}) {
        FilterSpec spec;
        spec.accept_paths = list;
        INFO(list);
        try {
            RequestFilter f{spec};
            FAIL("accepted " << list);
        } catch (const aks::UsageError& e) {
            CHECK(std::string(e.what()).find("--accept-paths has an empty expression") != std::string::npos);
        }
    }
}
