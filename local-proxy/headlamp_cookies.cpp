#include "local-proxy/headlamp_cookies.h"

#include "local-proxy/cookie_header.h"

namespace aks::proxy {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

void append(std::string& out, std::string_view pair) {
    if (!out.empty()) out += "; ";
    out += pair;
}

bool cookie_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

std::string sanitize_headlamp_cluster(std::string_view cluster) {
    std::string out;
    for (const char c : cluster)
        if (cookie_name_char(c)) out += c;
    if (out.size() > 50) out.resize(50);
    return out;
}

std::string headlamp_auth_cookies(std::string_view cookie_cluster, std::string_view token) {
    std::string out;
    const std::string name = "headlamp-auth-" + std::string(cookie_cluster) + ".";
    for (std::size_t i = 0, at = 0; at < token.size(); ++i, at += kHeadlampCookieChunk) {
        append(out, name + std::to_string(i) + "=");
        out += token.substr(at, kHeadlampCookieChunk);
    }
    return out;
}

std::string rewrite_headlamp_cookies(std::string_view cookie_header, const HeadlampCookieRewrite& rw) {
    std::string out;
    for (const CookiePair& c : cookie_pairs(cookie_header)) {
        if (starts_with(c.name, "headlamp-auth-")) continue;  // stale or forged: ours replaces it
        if (starts_with(c.name, kOwnCookiePrefix)) continue;
        append(out, c.text);
    }
    if (!rw.cookie_cluster.empty() && !rw.token.empty())
        append(out, headlamp_auth_cookies(rw.cookie_cluster, rw.token));
    return out;
}

}  // namespace aks::proxy
