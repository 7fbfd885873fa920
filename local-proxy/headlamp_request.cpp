#include "local-proxy/headlamp_request.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "local-proxy/headlamp_cookies.h"
#include "local-proxy/header_rules.h"

namespace aks::proxy {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::string_view sv(boost::beast::string_view s) { return {s.data(), s.size()}; }

// Every value of a header, joined with "; " (Cookie) or ", " (lists).
std::string joined(const http::fields& f, http::field name, const char* sep) {
    std::string out;
    for (auto it = f.find(name); it != f.end() && it->name() == name; ++it) {
        if (!out.empty()) out += sep;
        out += sv(it->value());
    }
    return out;
}

// Sec-WebSocket-Protocol without bearer-token entries.
std::string without_token_protocols(std::string_view list) {
    std::string out;
    while (!list.empty()) {
        const std::size_t comma = list.find(',');
        const std::string_view item = trim_ows(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        if (item.empty() || istarts_with(item, "base64url.bearer.authorization.k8s.io.")) continue;
        if (!out.empty()) out += ", ";
        out += item;
    }
    return out;
}

std::string_view after_clusters(std::string_view path, const HeadlampMode& mode) {
    const std::string prefix = mode.base + "clusters/";
    if (path.size() <= prefix.size() || path.substr(0, prefix.size()) != prefix) return {};
    return path.substr(prefix.size());  // "<name>" or "<name>/<API path>"
}

// <base>clusters/<our cluster>, alone or followed by '/'.
bool for_cluster(std::string_view path, const HeadlampMode& mode) {
    const std::string_view rest = after_clusters(path, mode);
    const std::size_t n = mode.cluster.size();
    return rest.substr(0, n) == mode.cluster && (rest.size() == n || rest[n] == '/');
}

// .../services/<name>/proxy, .../pods/<name>/proxy, /api/v1/nodes/<name>/proxy
// (and what follows): requests the API server hands on to a workload.
bool is_proxy_subresource(std::string_view api) {
    std::size_t at = 0;
    while ((at = api.find("/proxy", at)) != std::string_view::npos) {
        const std::size_t end = at + 6;
        if (end == api.size() || api[end] == '/') {
            // the segment two back names the resource kind
            const std::string_view head = api.substr(0, at);
            const std::size_t name = head.rfind('/');
            if (name != std::string_view::npos) {
                const std::size_t kind = head.substr(0, name).rfind('/');
                const std::string_view k = kind == std::string_view::npos ? std::string_view()
                                                                           : head.substr(kind + 1, name - kind - 1);
                if (k == "services" || k == "pods" || k == "nodes") return true;
            }
        }
        at = end;
    }
    return false;
}

}  // namespace

std::optional<std::string_view> headlamp_api_path(std::string_view path, const HeadlampMode& mode) {
    const std::string_view rest = after_clusters(path, mode);
    const std::size_t slash = rest.find('/');
    if (slash == 0 || slash == std::string_view::npos) return std::nullopt;
    return rest.substr(slash);
}

// Headlamp's proxy-auth header names are configurable (-proxy-auth-*-header,
// backend/pkg/config/config.go, v0.45.0; defaults X-Forwarded-User, -Group,
// -Email, -Id-Token), and front proxies use X-Forwarded-Groups,
// -Access-Token and X-Auth-Request-*: only aks-proxy speaks for the user, so
// every such field goes, except the three that describe the connection.
bool is_headlamp_identity_header(std::string_view name) {
    if (istarts_with(name, "x-auth-request-")) return true;
    if (!istarts_with(name, "x-forwarded-")) return false;
    const std::string_view rest = name.substr(std::string_view("x-forwarded-").size());
    return !iequals(rest, "for") && !iequals(rest, "proto") && !iequals(rest, "host");
}

void rewrite_headlamp_request(http::fields& f, std::string_view path, const HeadlampMode& mode,
                              std::string_view token) {
    for (auto it = f.begin(); it != f.end();)
        it = is_headlamp_identity_header(sv(it->name_string())) ? f.erase(it) : std::next(it);

    if (f.count(http::field::sec_websocket_protocol) > 0) {
        const std::string protocols = without_token_protocols(joined(f, http::field::sec_websocket_protocol, ","));
        f.erase(http::field::sec_websocket_protocol);
        if (!protocols.empty()) f.set(http::field::sec_websocket_protocol, protocols);
    }

    const bool ours = for_cluster(path, mode);
    if (ours) {
        f.erase("KUBECONFIG");
        f.erase("X-HEADLAMP-USER-ID");
    }

    // The token goes only where Headlamp ties it to our cluster: its routes
    // for /clusters/<ours>/ and the multiplexer (whose messages name our
    // cluster, multiplexer_filter.h). Elsewhere Headlamp takes the cluster
    // from a body (/drain-node), a kubeconfig (/cluster, /parseKubeConfig) or
    // the page (/externalproxy), and would pass our token on to it.
    const bool tokenless = !ours && path != mode.base + "wsMultiplexer";
    // The API server of --headlamp-service consumes Authorization before the
    // request reaches Headlamp; otherwise Headlamp would pass it on.
    if (tokenless && !mode.via_service_proxy) f.erase(http::field::authorization);
    // Headlamp forwards the Cookie header to the API server, whose service,
    // pod and node proxies pass it on to the workload: no token cookie there
    // (Authorization, which the API server consumes, carries it).
    const auto api = headlamp_api_path(path, mode);
    const bool to_workload = api && is_proxy_subresource(*api);
    const HeadlampCookieRewrite rw{mode.cookie_cluster,
                                   tokenless || to_workload ? std::string() : std::string(token)};
    const std::string cookies = rewrite_headlamp_cookies(joined(f, http::field::cookie, "; "), rw);
    f.erase(http::field::cookie);
    if (!cookies.empty()) f.set(http::field::cookie, cookies);
}

}  // namespace aks::proxy
