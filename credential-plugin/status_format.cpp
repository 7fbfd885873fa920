#include "credential-plugin/status_format.h"

#include "core/expiry.h"
#include "core/json_quote.h"
#include "credential-plugin/exec_credential.h"

namespace aks {

namespace {

std::string or_unknown(const std::string& s) { return s.empty() ? "(unknown)" : s; }

// Fields shared by both formats, so text and JSON never disagree.
struct StatusView {
    std::string user, tenant, audience, login_mode, authority_host, client_id, cache_file;
    std::int64_t expires_on = 0;
    bool fresh = false, valid = false, refresh_token = false, groups_overage = false;
    int groups = 0;
};

StatusView view_of(const CacheEntry& e, std::int64_t now) {
    StatusView v;
    const Token& t = e.token;
    v.user = t.claims.upn.empty() ? e.key.principal_hint : t.claims.upn;
    v.tenant = t.claims.tid.empty() ? e.key.tenant_id : t.claims.tid;
    v.audience = t.claims.aud.empty() ? e.key.server_id : t.claims.aud;
    v.login_mode = e.key.login_mode;
    v.authority_host = e.key.authority_host;
    v.client_id = e.key.client_id;
    v.cache_file = e.path;
    v.expires_on = t.expires_on;
    v.fresh = is_fresh(t, now);
    v.valid = is_valid(t, now);
    v.refresh_token = !t.refresh_token.empty();
    v.groups = t.claims.groups_count;
    v.groups_overage = t.claims.groups_overage;
    return v;
}

}  // namespace

std::string format_duration(std::int64_t seconds) {
    if (seconds < 0) seconds = 0;
    if (seconds < 60) return std::to_string(seconds) + "s";
    const std::int64_t minutes = seconds / 60;
    if (minutes < 60) return std::to_string(minutes) + "m";
    const std::int64_t hours = minutes / 60;
    if (hours < 24) {
        const std::int64_t m = minutes % 60;
        return std::to_string(hours) + "h " + (m < 10 ? "0" : "") + std::to_string(m) + "m";
    }
    return std::to_string(hours / 24) + "d " + std::to_string(hours % 24) + "h";
}

std::string format_status_text(const std::vector<CacheEntry>& entries, std::int64_t now) {
    std::string out;
    for (const CacheEntry& e : entries) {
        const StatusView v = view_of(e, now);
        if (!out.empty()) out += '\n';
        const std::string when = v.valid ? "in " + format_duration(v.expires_on - now)
                                         : "expired " + format_duration(now - v.expires_on) + " ago";
        const std::string state = v.fresh ? "fresh" : v.valid ? "stale (refreshed on next use)" : "stale (expired)";
        out += "user:          " + or_unknown(v.user) + "\n";
        out += "tenant:        " + or_unknown(v.tenant) + "\n";
        out += "audience:      " + or_unknown(v.audience) + "\n";
        out += "login mode:    " + or_unknown(v.login_mode) + "\n";
        out += "authority:     " + or_unknown(v.authority_host) + "\n";
        out += "client id:     " + or_unknown(v.client_id) + "\n";
        out += "expires:       " + rfc3339_utc(v.expires_on) + " (" + when + ")\n";
        out += "state:         " + state + "\n";
        out += "refresh token: " + std::string(v.refresh_token ? "yes" : "no") + "\n";
        out += "groups:        " +
               (v.groups_overage ? std::string("overage (too many for the token)") : std::to_string(v.groups)) + "\n";
        out += "cache file:    " + v.cache_file + "\n";
    }
    return out;
}

std::string format_status_json(const std::vector<CacheEntry>& entries, std::int64_t now) {
    // Hand-written so that URLs and paths stay readable (no "\/" escapes).
    auto str = [](const char* name, const std::string& v) { return std::string("\"") + name + "\":" + json_quote(v); };
    auto num = [](const char* name, std::int64_t v) { return std::string("\"") + name + "\":" + std::to_string(v); };
    auto flag = [](const char* name, bool v) { return std::string("\"") + name + "\":" + (v ? "true" : "false"); };
    std::string out = "[";
    for (const CacheEntry& e : entries) {
        const StatusView v = view_of(e, now);
        if (out.size() > 1) out += ',';
        out += '{';
        out += str("user", v.user) + ',' + str("tenant", v.tenant) + ',' + str("audience", v.audience) + ',' +
               str("loginMode", v.login_mode) + ',' + str("authorityHost", v.authority_host) + ',' +
               str("clientId", v.client_id) + ',' + num("expiresOn", v.expires_on) + ',' +
               str("expires", rfc3339_utc(v.expires_on)) + ',' + flag("fresh", v.fresh) + ',' +
               flag("expired", !v.valid) + ',' + flag("refreshToken", v.refresh_token) + ',' +
               num("groups", v.groups) + ',' + flag("groupsOverage", v.groups_overage) + ',' +
               str("cacheFile", v.cache_file);
        out += '}';
    }
    out += "]\n";
    return out;
}

}  // namespace aks
