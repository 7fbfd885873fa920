#include <catch2/catch.hpp>

#include <string>

#include "local-proxy/request_target.h"

using aks::proxy::canonical_path;
using aks::proxy::target_form;
using aks::proxy::TargetForm;

TEST_CASE("target_form: origin, absolute, asterisk, authority", "[request_target]") {
    CHECK(target_form("/api/v1/pods?watch=1") == TargetForm::Origin);
    CHECK(target_form("http://evil.example/api") == TargetForm::Absolute);
    CHECK(target_form("HTTPS://127.0.0.1:8001/api") == TargetForm::Absolute);
    CHECK(target_form("*") == TargetForm::Asterisk);
    CHECK(target_form("kubernetes.default:443") == TargetForm::Authority);
    CHECK(target_form("api/v1") == TargetForm::Other);
    CHECK(target_form("") == TargetForm::Other);
}

TEST_CASE("canonical_path: what the API server routes, decoded", "[request_target]") {
    struct Row {
        const char* target;
        const char* path;
    } rows[] = {
        {"/", "/"},
        {"/api/v1/pods?watch=1&x=//", "/api/v1/pods"},
        {"/api/v1/namespaces/d/pods/p/ex%65c", "/api/v1/namespaces/d/pods/p/exec"},
        {"/apis/", "/apis/"},            // a trailing slash is a real path ("/apis/")
        {"/headlamp/", "/headlamp/"},
        {"/api/..x/v1", "/api/..x/v1"},  // ".." only as a whole segment
        {"/api/v1/x%3Ay", "/api/v1/x:y"},
        {"/caf%C3%A9", "/caf\xC3\xA9"},  // UTF-8 once decoded
        {"/a;b=c/d", "/a;b=c/d"},        // ';' is an ordinary character to Go and the API server
        {"/API/V1", "/API/V1"},          // case is kept: the API server's routes are case-sensitive
    };
    for (const Row& r : rows) {
        INFO(r.target);
        const auto c = canonical_path(r.target);
        CHECK(c.ok);
        CHECK(c.path == r.path);
    }
}

TEST_CASE("canonical_path: refuses every path with more than one meaning", "[request_target]") {
    for (const char* t : {
             "//api/v1/namespaces/default/pods/web-0//exec",  // empty segments (issue #11, defect 5)
             "/api//v1",
             "/api/v1/pods//",
             "/api/./v1",
             "/api/../api/v1/namespaces/d/pods/p/exec",
             "/api/..",
             "/.",
             "/api/%2e%2e/x",                                 // encoded dots
             "/api/%2E/x",
             "/api/v1/namespaces/d/pods/p%2Fexec",            // an encoded '/': the API server would split there
             "/api/v1/namespaces/d/pods/p%2fexec",
             "/a%252Fb",                                      // an encoded '%': double decoding
             "/a%zz", "/a%4", "/a%",                          // bad escapes
             "/a%00b", "/a%0Ab", "/a%7F",                     // control characters
             "/a%FFb", "/a%C0%AF", "/a%ED%A0%80", "/a%C3",    // not UTF-8 (invalid, overlong, surrogate, cut)
             "/caf\xC3\xA9",                                  // raw non-ASCII
             "/api/v1/pods?x=\xFF",                           // in the query too
             "/a#/../b",                                      // a fragment
             "http://evil.example/api", "*", "", "api",
         }) {
        INFO(t);
        const auto c = canonical_path(t);
        CHECK_FALSE(c.ok);
        CHECK_FALSE(c.problem.empty());
    }
}
