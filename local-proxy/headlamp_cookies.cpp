#include "local-proxy/headlamp_cookies.h"

#include "local-proxy/cookie_header.h"

namespace aks::proxy {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

void append(std::string& out, std::string_view pair) {
    if (!out.empty()) out += "; ";
    out += pair;
}

}  // namespace

std::string rewrite_headlamp_cookies(std::string_view cookie_header, const HeadlampCookieRewrite& rw) {
    std::string out;
    for (const CookiePair& c : cookie_pairs(cookie_header)) {
        if (starts_with(c.name, "headlamp-auth-")) continue;  // stale or forged: ours replaces it
        if (!rw.session_cookie.empty() && c.name == rw.session_cookie) continue;
        append(out, c.text);
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
