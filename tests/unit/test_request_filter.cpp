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

TEST_CASE("decoded_path: decoding, and refusing what could dodge the rules", "[request_filter]") {
    using aks::proxy::decoded_path;
    CHECK(decoded_path("/api/v1/pods?watch=1") == "/api/v1/pods");
    CHECK(decoded_path("/api/v1/namespaces/d/pods/p/ex%65c") == "/api/v1/namespaces/d/pods/p/exec");
    CHECK(decoded_path("/a%2Fb") == "/a/b");
    CHECK(decoded_path("/") == "/");
    CHECK_FALSE(decoded_path("http://evil.example/api"));
    CHECK_FALSE(decoded_path("*"));
    CHECK_FALSE(decoded_path(""));
    CHECK_FALSE(decoded_path("/a%zz"));
    CHECK_FALSE(decoded_path("/a%4"));
    CHECK_FALSE(decoded_path("/a%00b"));
    CHECK_FALSE(decoded_path("/api/../api/v1/namespaces/d/pods/p/exec"));
    CHECK_FALSE(decoded_path("/api/%2e%2e/x"));
    CHECK_FALSE(decoded_path("/api/./v1"));
    CHECK_FALSE(decoded_path("/api/.."));
    CHECK(decoded_path("/api/..x/v1") == "/api/..x/v1");
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
