#pragma once
// The default --reject-paths matched by hand, for the fuzz targets' property
// checks (independent of RE2 and of local-proxy/request_filter.cpp).
#include <string>

namespace aks::fuzz {

// kubectl proxy's ^/api/.*/pods/.*/exec and ^/api/.*/pods/.*/attach.
inline bool pods_exec_or_attach(const std::string& path) {
    const auto pods_tail = [&](const char* tail) {
        if (path.rfind("/api/", 0) != 0) return false;
        const std::size_t pods = path.find("/pods/", 5);  // after "/api/", as the regexp
        return pods != std::string::npos && path.find(tail, pods + 6) != std::string::npos;
    };
    return pods_tail("/exec") || pods_tail("/attach");
}

// aks-proxy's ^/api/v1/nodes/[^/]+/proxy/(run|exec|attach)(/|$).
inline bool kubelet_run_exec_attach(const std::string& path) {
    if (path.rfind("/api/v1/nodes/", 0) != 0) return false;
    const std::size_t name_end = path.find('/', 14);
    if (name_end == std::string::npos || name_end == 14 || path.compare(name_end, 7, "/proxy/") != 0) return false;
    for (const std::string verb : {"run", "exec", "attach"}) {
        const std::size_t at = name_end + 7;
        if (path.compare(at, verb.size(), verb) == 0 && (path.size() == at + verb.size() || path[at + verb.size()] == '/'))
            return true;
    }
    return false;
}

}  // namespace aks::fuzz
