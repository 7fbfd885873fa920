// Cache files: parse_cache_entry either refuses the text or returns an entry
// with an access token and an expiry; serialising that token again and
// parsing the result gives back exactly the same token (nothing lost or
// altered on the rewrite a refresh does).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/token_cache.h"

namespace {

bool same(const aks::Token& a, const aks::Token& b) {
    const aks::TokenClaims &x = a.claims, &y = b.claims;
    return a.access_token == b.access_token && a.token_type == b.token_type && a.expires_on == b.expires_on &&
           a.obtained_at == b.obtained_at && a.refresh_token == b.refresh_token && x.upn == y.upn && x.oid == y.oid &&
           x.tid == y.tid && x.aud == y.aud && x.iss == y.iss && x.exp == y.exp && x.groups_count == y.groups_count &&
           x.groups_overage == y.groups_overage;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto entry = aks::parse_cache_entry(text);
    if (!entry) return 0;
    if (entry->token.access_token.empty()) std::abort();

    aks::LoginSettings s;
    s.authority_host = entry->key.authority_host;
    s.tenant_id = entry->key.tenant_id;
    s.client_id = entry->key.client_id;
    s.server_id = entry->key.server_id;
    s.login_mode = entry->key.login_mode;
    const auto again = aks::parse_cache_entry(aks::serialize_cache_entry(s, entry->token));
    if (!again || !same(again->token, entry->token)) std::abort();
    if (again->key != aks::cache_key_fields(s)) std::abort();
    return 0;
}
