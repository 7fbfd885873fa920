#include "core/expiry.h"

#include <algorithm>
#include <ctime>

namespace aks {

std::int64_t refresh_margin(const Token& t) {
    // Unknown lifetime (old cache entries, clock oddities): the full margin.
    if (t.obtained_at <= 0 || t.obtained_at >= t.expires_on) return kRefreshMargin;
    const std::int64_t half_life = (t.expires_on - t.obtained_at) / 2;
    return std::min(kRefreshMargin, std::max<std::int64_t>(0, half_life));
}

bool is_fresh(const Token& t, std::int64_t now) { return t.expires_on - now > refresh_margin(t); }

bool is_valid(const Token& t, std::int64_t now) { return t.expires_on > now; }

std::int64_t client_expiry(const Token& t) { return t.expires_on - refresh_margin(t); }

std::string rfc3339_utc(std::int64_t epoch_seconds) {
    const std::time_t tt = static_cast<std::time_t>(epoch_seconds);
    std::tm tm{};
    if (gmtime_r(&tt, &tm) == nullptr) {
        // Only absurd values (year beyond int) get here; clamp rather than fail.
        return epoch_seconds < 0 ? "0000-01-01T00:00:00Z" : "9999-12-31T23:59:59Z";
    }
    char buf[64];
    const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return std::string(buf, n);
}

}  // namespace aks
