#include "core/pkce.h"

#include <openssl/rand.h>

#include "core/base64url.h"
#include "core/errors.h"
#include "core/sha256.h"

namespace aks {

std::string random_urlsafe(std::size_t n_bytes) {
    std::string bytes(n_bytes, '\0');
    if (n_bytes > 0 &&
        RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(n_bytes)) != 1)
        throw AuthError("the system random number generator failed");
    return base64url_encode(bytes);
}

std::string pkce_s256_challenge(const std::string& verifier) {
    const auto digest = sha256(verifier);
    return base64url_encode(std::string(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

Pkce make_pkce() {
    Pkce p;
    p.verifier = random_urlsafe(32);
    p.challenge = pkce_s256_challenge(p.verifier);
    return p;
}

}  // namespace aks
