#pragma once
// The signed JWT a service principal presents instead of a secret
// (DESIGN.md "Identity"): PS256, header x5t#S256 = base64url(SHA-256 of the
// certificate DER); claims aud = token endpoint, iss = sub = client id,
// random jti, nbf = iat = now, exp = now + 10 minutes.
#include <cstdint>
#include <string>

#include "core/certificate_loader.h"

namespace aks {

constexpr std::int64_t kClientAssertionLifetime = 600;

std::string make_client_assertion(const ClientCertificate& cert, const std::string& client_id,
                                  const std::string& token_endpoint, std::int64_t now);

// RSASSA-PSS with SHA-256 and a 32-byte salt (JWS PS256); raw signature bytes.
std::string sign_ps256(EVP_PKEY* key, const std::string& data);

}  // namespace aks
