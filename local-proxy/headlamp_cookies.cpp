#include "local-proxy/headlamp_cookies.h"

namespace aks::proxy {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

void append(std::string& out, std::string_view pair) {
    if (!out.empty()) out += "; ";
    out += pair;
}

}  // namespace

std::string rewrite_headlamp_cookies(std::string_view cookie_header, const HeadlampCookieRewrite& rw) {
    std::string out;
    while (!cookie_header.empty()) {
        const std::size_t semi = cookie_header.find(';');
        const std::string_view pair = trim(cookie_header.substr(0, semi));
        cookie_header = semi == std::string_view::npos ? std::string_view{} : cookie_header.substr(semi + 1);
        if (pair.empty()) continue;
        const std::string_view name = trim(pair.substr(0, pair.find('=')));
        if (starts_with(name, "headlamp-auth-")) continue;  // stale or forged: ours replaces it
        if (!rw.session_cookie.empty() && name == rw.session_cookie) continue;
        append(out, pair);
    }
    if (!rw.cluster.empty() && !rw.token.empty()) {
        const std::string name = "headlamp-auth-" + rw.cluster;
        if (rw.token.size() <= kHeadlampCookieChunk) {
            append(out, name + "=" + rw.token);
        } else {
            for (std::size_t i = 0, at = 0; at < rw.token.size(); ++i, at += kHeadlampCookieChunk)
                append(out, name + "." + std::to_string(i) + "=" + rw.token.substr(at, kHeadlampCookieChunk));
        }
    }
    return out;
}

}  // namespace aks::proxy
