#include <catch2/catch.hpp>

#include "local-proxy/multiplexer_filter.h"

using namespace aks::proxy;

namespace {

const RequestFilter& defaults() {
    static const RequestFilter f{FilterSpec{}};
    return f;
}

std::string refusal(std::string_view frame) {
    return multiplexer_refusal(frame, defaults(), "main").value_or("<passes>");
}

}  // namespace

TEST_CASE("Headlamp's own watch requests pass", "[multiplexer_filter]") {
    CHECK(refusal(R"({"clusterId":"main","path":"/api/v1/namespaces/default/pods","query":"watch=1","userId":"u",)"
                  R"("type":"REQUEST"})") == "<passes>");
    CHECK(refusal(R"({"clusterId":"main","path":"/apis/apps/v1/deployments","userId":"u","type":"CLOSE"} )") ==
          "<passes>");
    CHECK(refusal(R"({"type":"PING"})") == "<passes>");  // no path: Headlamp opens nothing
}

TEST_CASE("a path --reject-paths refuses is not sent to the multiplexer, however spelled", "[multiplexer_filter]") {
    for (const char* frame : {
             R"({"clusterId":"main","path":"/api/v1/namespaces/d/pods/p/exec","query":"command=id","userId":"u","type":"REQUEST"})",
             R"({"path":"api/v1/namespaces/d/pods/p/attach","type":"REQUEST"})",  // Headlamp adds the slash
             R"({"PATH":"/api/v1/nodes/n/proxy/run/d/p/c","type":"REQUEST"})",    // Go matches keys in any case
             R"({"path":"/api/v1/pods","path":"/api/v1/namespaces/d/pods/p/exec"})",  // the last one wins in Go
             R"({"Path":"/api/v1/namespaces/d/pods/p/exec"})",
             R"({"\u0070ath":"\/api\/v1\/namespaces\/d\/pods\/p\/exec"})",
         }) {
        CAPTURE(frame);
        CHECK(refusal(frame).find("is refused (see --reject-paths)") != std::string::npos);
    }
}

TEST_CASE("frames Go could read differently, and non-canonical paths, are refused", "[multiplexer_filter]") {
    CHECK(refusal(R"({"path":"/api/v1/pods","Path":"/api/v1/namespaces/d/pods/p/exec"})") == "more than one path key");
    CHECK(refusal(R"({"path":1})") == "a path that is not a string");
    CHECK(refusal("not json") == "not a JSON object");
    // Found by fuzz_multiplexer_filter: picojson throws for a number beyond double.
    CHECK(refusal(R"({"path":"/api/v1/pods","n":1e999})") == "not a JSON object");
    CHECK(refusal(std::string(100, '[') + std::string(100, ']')) == "not a JSON object");  // nesting bounded
    CHECK(refusal(R"(["/api/v1/namespaces/d/pods/p/exec"])") == "not a JSON object");
    CHECK(refusal(R"({"path":"/api/v1/pods"} {"path":"x"})") == "not a JSON object");
    CHECK(refusal(R"({"path":"/api//v1/namespaces/d/pods/p/exec"})").find("an empty segment") != std::string::npos);
    CHECK(refusal(R"({"path":"/api/v1/namespaces/d/pods/p/./exec"})").find("a '.' or '..' segment") != std::string::npos);
    CHECK(refusal(R"({"path":"/api/v1/namespaces/d/pods/p/x/.."})").find("a '.' or '..' segment") != std::string::npos);
    CHECK(refusal(R"({"path":"/api/v1/namespaces/d/pods/p/%65xec"})").find("'%'") != std::string::npos);
    CHECK(refusal(R"({"path":"/api/v1/pods?x=1"})").find("'?'") != std::string::npos);
    CHECK(refusal(R"({"path":"/api/v1/pods\n"})").find("a control character") != std::string::npos);
    // Found by fuzz_multiplexer_filter: RE2's "." does not match an invalid byte, Go's decoder makes it U+FFFD.
    CHECK(refusal("{\"path\":\"/api/v1/x\x85y/pods/p/exec\"}").find("not UTF-8") != std::string::npos);
}

TEST_CASE("with --reject-paths '^$' the user's own choice holds", "[multiplexer_filter]") {
    FilterSpec spec;
    spec.reject_paths = "^$";
    const RequestFilter open(spec);
    CHECK_FALSE(multiplexer_refusal(R"({"path":"/api/v1/namespaces/d/pods/p/exec"})", open, "main").has_value());
}

TEST_CASE("a message for another cluster is refused: Headlamp would read our cookie for a look-alike name",
          "[multiplexer_filter]") {
    // Second review, finding 1: "main." sanitises to "main", whose cookie holds our token.
    for (const char* frame : {
             R"({"clusterId":"main.","path":"/api/v1/pods","userId":"u","type":"REQUEST"})",
             R"({"clusterId":"evil","path":"/api/v1/pods"})",
             R"({"clusterId":"Main","path":"/api/v1/pods"})",
             R"({"ClusterID":"evil","path":"/api/v1/pods"})",
             "{\"clu\u017fterId\":\"evil\",\"path\":\"/api/v1/pods\"}",  // long s folds to S in Go
             "{\"cluster\u0131d\":\"evil\",\"path\":\"/api/v1/pods\"}",  // dotless i folds to I
             R"({"clusterId":1,"path":"/api/v1/pods"})",
         }) {
        CAPTURE(frame);
        CHECK(refusal(frame).find("a clusterId other than 'main'") != std::string::npos);
    }
    CHECK(refusal(R"({"clusterId":"main","CLUSTERID":"evil","path":"/api/v1/pods"})") == "more than one clusterId key");
    CHECK(refusal(R"({"clusterId":"main","path":"/api/v1/pods","userId":"u","type":"REQUEST"})") == "<passes>");
}
