#include "core/proxy_env.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string_view>

#include "core/errors.h"
#include "core/http_client.h"

namespace aks {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t");
    return std::string(s.substr(first, last - first + 1));
}

bool is_ip_literal(const std::string& host) {
    unsigned char buf[16];
    return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

// Parses digits into a TCP port; -1 when not a valid port.
int parse_port(std::string_view s) {
    if (s.empty() || s.size() > 5) return -1;
    int port = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return -1;
        port = port * 10 + (c - '0');
    }
    return port >= 1 && port <= 65535 ? port : -1;
}

// Splits "host", "host:port", "[v6]" or "[v6]:port"; a bare IPv6 address
// (several colons) is a host without port. port is 0 when absent, -1 when bad.
void split_host_port(std::string_view s, std::string& host, int& port) {
    port = 0;
    if (!s.empty() && s.front() == '[') {
        const auto close = s.find(']');
        if (close == std::string_view::npos) {
            host.clear();
            port = -1;
            return;
        }
        host = std::string(s.substr(1, close - 1));
        const auto rest = s.substr(close + 1);
        if (!rest.empty()) port = rest.front() == ':' ? parse_port(rest.substr(1)) : -1;
        return;
    }
    const auto colon = s.find(':');
    if (colon != std::string_view::npos && s.find(':', colon + 1) == std::string_view::npos) {
        host = std::string(s.substr(0, colon));
        port = parse_port(s.substr(colon + 1));
        return;
    }
    host = std::string(s);
}

std::string strip_trailing_dots(std::string s) {
    while (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out.push_back(static_cast<char>(hi * 16 + lo));
                i += 2;
                continue;
            }
        }
        out.push_back(s[i]);
    }
    return out;
}

// First non-empty variable among `names`.
std::optional<std::pair<std::string, std::string>> first_set(const EnvLookup& env,
                                                              std::initializer_list<const char*> names) {
    for (const char* name : names) {
        if (auto v = env(name); v && !trim(*v).empty()) return std::make_pair(std::string(name), trim(*v));
    }
    return std::nullopt;
}

ProxySetting parse_proxy_url(const std::string& value, const std::string& variable) {
    const std::string bad = variable + " is not a valid proxy URL (expected http://[user:password@]host:port)";
    std::string_view rest = value;
    if (const auto sep = rest.find("://"); sep != std::string_view::npos) {
        if (lower(std::string(rest.substr(0, sep))) != "http")
            throw UsageError(variable + ": only http:// proxies are supported");
        rest = rest.substr(sep + 3);
    }
    rest = rest.substr(0, rest.find_first_of("/?#"));
    ProxySetting p;
    p.variable = variable;
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
        const auto userinfo = rest.substr(0, at);
        const auto colon = userinfo.find(':');
        p.username = percent_decode(userinfo.substr(0, colon));
        if (colon != std::string_view::npos) p.password = percent_decode(userinfo.substr(colon + 1));
        rest = rest.substr(at + 1);
    }
    int port = 0;
    split_host_port(rest, p.host, port);
    if (p.host.empty() || port < 0) throw UsageError(bad);
    p.port = port == 0 ? 80 : port;
    return p;
}

}  // namespace

bool no_proxy_matches(const std::string& no_proxy, const std::string& host_in, int port) {
    std::string host = lower(host_in);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    host = strip_trailing_dots(host);
    const bool ip = is_ip_literal(host);

    std::string_view list = no_proxy;
    while (!list.empty()) {
        const auto comma = list.find(',');
        std::string entry = lower(trim(list.substr(0, comma)));
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        if (entry.empty()) continue;
        if (entry == "*") return true;

        std::string entry_host;
        int entry_port = 0;
        split_host_port(entry, entry_host, entry_port);
        if (entry_port < 0) continue;
        if (entry_port > 0 && entry_port != port) continue;
        // "*.example.com", ".example.com" and "example.com" all cover the
        // domain and its subdomains (curl's reading).
        if (entry_host.rfind("*.", 0) == 0) entry_host.erase(0, 1);
        if (!entry_host.empty() && entry_host.front() == '.') entry_host.erase(0, 1);
        entry_host = strip_trailing_dots(entry_host);
        if (entry_host.empty()) continue;

        if (host == entry_host) return true;
        if (!ip && host.size() > entry_host.size() &&
            host.compare(host.size() - entry_host.size(), entry_host.size(), entry_host) == 0 &&
            host[host.size() - entry_host.size() - 1] == '.')
            return true;
    }
    return false;
}

std::optional<ProxySetting> proxy_for(const std::string& scheme, const std::string& host, int port,
                                      const EnvLookup& env) {
    const auto var = scheme == "https" ? first_set(env, {"HTTPS_PROXY", "https_proxy"})
                                       : first_set(env, {"HTTP_PROXY", "http_proxy"});
    if (!var) return std::nullopt;
    if (const auto no = first_set(env, {"NO_PROXY", "no_proxy"}); no && no_proxy_matches(no->second, host, port))
        return std::nullopt;
    return parse_proxy_url(var->second, var->first);
}

}  // namespace aks
