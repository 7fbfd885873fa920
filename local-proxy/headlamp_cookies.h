#pragma once
// Headlamp mode's Cookie rewriting, as pure functions (table-tested).
// Headlamp (v0.35.0 and later) reads the cluster token only from cookies
// named `headlamp-auth-<cluster>.0`, `.1`, ... (3,800-character chunks,
// concatenated until one is missing; `.0` even for one chunk), with
// <cluster> sanitised to [A-Za-z0-9_-] and cut at 50
// (kubernetes-sigs/headlamp backend/pkg/auth/cookies.go GetTokenFromCookie,
// SetTokenCookie, SanitizeClusterName; v0.45.0). It prefers that cookie over
// Authorization on its API proxy, and /wsMultiplexer reads nothing else, so a
// stale cookie from an earlier login would win over the token we inject. We
// drop every such cookie and every cookie of ours (`aks-proxy-*`: the launch
// secret stays between the browser and us), then add the fresh token as the
// chunks Headlamp reads.
#include <string>
#include <string_view>

namespace aks::proxy {

// Headlamp's chunk size (cookies.go chunkSize).
constexpr std::size_t kHeadlampCookieChunk = 3800;

// Prefix of every cookie aks-proxy sets in the browser; none goes upstream.
constexpr std::string_view kOwnCookiePrefix = "aks-proxy-";

// SanitizeClusterName: only [A-Za-z0-9_-] kept, then the first 50 bytes.
// "" when nothing is left (Headlamp then reads no cookie at all).
std::string sanitize_headlamp_cluster(std::string_view cluster);

// `headlamp-auth-<cookie_cluster>.0=...; headlamp-auth-<cookie_cluster>.1=...`
// for `token` ("" for an empty token). `cookie_cluster` is already sanitised.
std::string headlamp_auth_cookies(std::string_view cookie_cluster, std::string_view token);

struct HeadlampCookieRewrite {
    std::string cookie_cluster;  // sanitised; non-empty: add the token's chunks
    std::string token;           // the access token (never logged)
};

// The Cookie header to forward ("" when nothing is left). Cookies that are
// neither ours nor Headlamp's token cookies pass through unchanged and in order.
std::string rewrite_headlamp_cookies(std::string_view cookie_header, const HeadlampCookieRewrite& rw);

}  // namespace aks::proxy
