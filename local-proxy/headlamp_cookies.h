#pragma once
// Headlamp mode's Cookie rewriting, as a pure function (table-tested).
// Headlamp prefers its `headlamp-auth-<cluster>` cookie over Authorization,
// and its /wsMultiplexer reads only the cookie, so a stale cookie from an
// earlier login would win over the token we inject. We drop every such
// cookie, drop our own session cookie (the per-run secret stays between the
// browser and us), and can put the fresh token into the cookie Headlamp reads.
#include <string>
#include <string_view>

namespace aks::proxy {

// Headlamp splits cookie values longer than this into `.0`, `.1`, ... chunks.
constexpr std::size_t kHeadlampCookieChunk = 3800;

struct HeadlampCookieRewrite {
    std::string session_cookie;  // our launch cookie's name: removed
    std::string cluster;         // non-empty: add `headlamp-auth-<cluster>` with `token`
    std::string token;           // the access token (never logged)
};

// The Cookie header to forward ("" when nothing is left). Cookies that are
// not ours and not Headlamp's pass through unchanged and in order.
std::string rewrite_headlamp_cookies(std::string_view cookie_header, const HeadlampCookieRewrite& rw);

}  // namespace aks::proxy
