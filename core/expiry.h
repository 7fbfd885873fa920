#pragma once
// Freshness rules shared by every tool (DESIGN.md "The token cache").
#include <cstdint>
#include <string>

#include "core/token.h"

namespace aks {

constexpr std::int64_t kRefreshMargin = 300;  // seconds
// 9999-12-31T23:59:59Z: no expiry anyone meant lies beyond it, and every time
// up to it is exact in the cache file's JSON numbers (read through a double).
constexpr std::int64_t kLatestExpiry = 253402300799;

// min(300 s, lifetime / 2) so a short-lived token never looks expired on arrival.
std::int64_t refresh_margin(const Token& t);
// More than the margin left: use without talking to anyone.
bool is_fresh(const Token& t, std::int64_t now);
// Not yet expired (a refresh failure may still fall back to it).
bool is_valid(const Token& t, std::int64_t now);
// The expirationTimestamp handed to kubectl: expires_on - margin.
std::int64_t client_expiry(const Token& t);
// RFC 3339 UTC, e.g. 2026-11-22T10:00:00Z.
std::string rfc3339_utc(std::int64_t epoch_seconds);

}  // namespace aks
