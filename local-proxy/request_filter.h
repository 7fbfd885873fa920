#pragma once
// kubectl proxy's request filter: comma-separated Go regular expressions for
// hosts, paths and methods, with kubectl proxy's defaults and semantics (a
// rejected path or method wins; otherwise path and host must be accepted).
// kubernetes/kubernetes staging/src/k8s.io/kubectl/pkg/proxy/proxy_server.go
// (FilterServer.accept, MakeRegexpArray): strings.Split on ",", each part
// regexp.Compile'd, matched with MatchString, i.e. unanchored unless the
// expression anchors itself. RE2 has Go's syntax and semantics (both are
// Russ Cox's RE2 design) and matches in time linear in the input, so no
// path, however long, can make matching recurse or take long.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace aks::proxy {

constexpr const char* kDefaultAcceptHosts = "^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$";
constexpr const char* kDefaultAcceptPaths = "^.*";
// kubectl proxy's default (^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach), plus the kubelet's run, exec
// and attach through the API server's node proxy (security finding F4):
// /api/v1/nodes/NODE[:PORT]/proxy/{run,exec,attach}/NS/POD[/UID]/CONTAINER
// reaches kubelet's /run, /exec and /attach (kubernetes/kubernetes
// pkg/kubelet/server/server.go, InstallAuthRequiredHandlers; go-restful
// routes, case-sensitive). The kubelet's /portForward stays open, as
// pods/portforward and pods/proxy are in kubectl proxy's default: it reaches
// a pod's ports, it runs nothing. A --reject-paths given replaces all of it.
constexpr const char* kDefaultRejectPaths =
    "^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach,^/api/v1/nodes/[^/]+/proxy/(run|exec|attach)(/|$)";
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
    // Throws UsageError naming the flag whose expression does not compile, or
    // that has an empty expression between commas (Go would compile it to a
    // pattern that matches everything; a stray comma must not open the proxy).
    explicit RequestFilter(const FilterSpec& spec);
    ~RequestFilter();
    RequestFilter(RequestFilter&&) noexcept;
    RequestFilter& operator=(RequestFilter&&) noexcept;

    // `host` is the Host header without its port (host_without_port); `path`
    // is the canonical decoded path (canonical_path), without the query.
    FilterVerdict check(std::string_view method, std::string_view path, std::string_view host) const;
    bool host_accepted(std::string_view host) const;
    bool path_rejected(std::string_view path) const;  // by --reject-paths alone

private:
    using List = std::vector<std::unique_ptr<re2::RE2>>;
    List accept_hosts_, accept_paths_, reject_paths_, reject_methods_;
};

// watch=true|1 or follow=true|1 in the query: a response that may last for
// hours and must not hold up shutdown.
bool is_long_lived(std::string_view target);

}  // namespace aks::proxy
