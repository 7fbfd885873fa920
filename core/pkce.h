#pragma once
// PKCE (RFC 7636) and the other random values of the browser sign-in.
#include <cstddef>
#include <string>

namespace aks {

struct Pkce {
    std::string verifier;   // 43 characters: base64url of 32 random bytes
    std::string challenge;  // base64url(SHA-256(verifier)), method S256
};

// base64url (unpadded) of n bytes from OpenSSL's CSPRNG; throws on RNG failure.
std::string random_urlsafe(std::size_t n_bytes);
std::string pkce_s256_challenge(const std::string& verifier);
Pkce make_pkce();

}  // namespace aks
