#pragma once
// kubectl proxy's request filter: comma-separated regular expressions for
// hosts, paths and methods, with kubectl proxy's defaults and semantics
// (a rejected path or method wins; otherwise path and host must be accepted).
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace aks::proxy {

constexpr const char* kDefaultAcceptHosts = "^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$";
constexpr const char* kDefaultAcceptPaths = "^.*";
constexpr const char* kDefaultRejectPaths = "^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach";
constexpr const char* kDefaultRejectMethods = "^$";

struct FilterSpec {
    std::string accept_hosts = kDefaultAcceptHosts;
    std::string accept_paths = kDefaultAcceptPaths;
    std::string reject_paths = kDefaultRejectPaths;
    std::string reject_methods = kDefaultRejectMethods;
};

enum class FilterVerdict { Accept, RejectHost, RejectPath, RejectMethod };

class RequestFilter {
public:
    // Throws UsageError naming the flag whose expression does not compile.
    explicit RequestFilter(const FilterSpec& spec);
    // `host` is the Host header without its port (host_without_port); `path`
    // excludes the query.
    FilterVerdict check(const std::string& method, const std::string& path, const std::string& host) const;
    bool host_accepted(const std::string& host) const;

private:
    std::vector<std::regex> accept_hosts_, accept_paths_, reject_paths_, reject_methods_;
};

}  // namespace aks::proxy

namespace aks::proxy {

// The path of an origin-form request target ("/api/v1/pods?watch=1" →
// "/api/v1/pods"), percent-decoded so that filters see what the API server
// will act on. nullopt for other target forms, bad escapes, NUL bytes and
// dot segments ("/a/../b"), which the proxy refuses.
std::optional<std::string> decoded_path(std::string_view target);

// watch=true|1 or follow=true|1 in the query: a response that may last for
// hours and must not hold up shutdown.
bool is_long_lived(std::string_view target);

}  // namespace aks::proxy
