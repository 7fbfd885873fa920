#pragma once
// Generic OpenID Connect providers (--oidc-issuer-url): their endpoints come
// from the discovery document, cached in the cache directory for a day.
#include <cstdint>
#include <string>

#include "core/clock.h"
#include "core/http_client.h"
#include "core/identity_endpoints.h"

namespace aks {

constexpr std::int64_t kDiscoveryCacheSeconds = 86400;

// Parses a discovery document; checks that its issuer is `issuer` (OpenID
// Connect Discovery §4.3) and that it has a token endpoint. Throws AuthError.
IdentityEndpoints parse_oidc_discovery(const std::string& issuer, const std::string& body);

// <issuer>/.well-known/openid-configuration, from <cache_dir>/<hash>.oidc-discovery
// when younger than a day (an unreadable or stale file is fetched again).
// cache_dir empty: no caching. Throws AuthError, TransportError.
IdentityEndpoints discover_oidc_endpoints(HttpClient& http, const std::string& issuer, const std::string& cache_dir,
                                          const Clock& clock);

// "openid offline_access" plus the --oidc-extra-scope values.
std::string oidc_scope(const std::string& extra_scopes);

}  // namespace aks
