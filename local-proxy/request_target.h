#pragma once
// The request target as the filters see it. kube-apiserver routes on Go's
// req.URL.Path: the percent-DECODED path, neither cleaned nor collapsed
// (kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/server/handler.go,
// director.ServeHTTP; go-restful's CurlyRouter tokenizes URL.Path after
// TrimLeft "/"; endpoints/request/requestinfo.go splits it for authorization
// after Trim "/", so an empty inner segment becomes an empty name or
// subresource). kubectl proxy matches its --accept-paths/--reject-paths
// against the same decoded URL.Path. So a path is admitted only when it has a
// single meaning: no empty segments ("//"), no "." or ".." segments, no
// percent-encoded "/", "." or "%" (which decode into those), no NUL or control
// characters, valid UTF-8 once decoded; then the filters match exactly the
// path the API server will route.
#include <string>
#include <string_view>

namespace aks::proxy {

enum class TargetForm {
    Origin,        // "/path?query": the only form aks-proxy serves
    Absolute,      // "http://host/path": a forward-proxy request
    Asterisk,      // "OPTIONS *"
    Authority,     // "host:port" (CONNECT)
    Other,
};

TargetForm target_form(std::string_view target);

struct CanonicalPath {
    bool ok = false;
    std::string path;     // decoded, without the query, when ok
    std::string problem;  // one phrase naming what is wrong, when not ok
};

// Checks an origin-form target ("/api/v1/pods?watch=1") and decodes its path
// ("/api/v1/pods"). A trailing "/" is allowed ("/apis/", Headlamp's "/base/").
// The whole target must be ASCII (the query too: URIs are, RFC 3986).
CanonicalPath canonical_path(std::string_view target);

// What canonical_path refuses in a path already decoded ("/a/b", a trailing
// "/" allowed): "a control character", "bytes that are not UTF-8", "an empty
// segment ('//')" or "a '.' or '..' segment"; nullptr when none. Headlamp's
// multiplexer messages carry such paths (multiplexer_filter.h).
const char* decoded_path_problem(std::string_view path);

}  // namespace aks::proxy
