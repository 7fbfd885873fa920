#pragma once
// JSON Web Key Sets: the RSA signing keys of the token issuer, by kid.
#include <map>
#include <string>

#include "tests/fakes/fake-apiserver/openssl_ptr.h"

namespace aks::fake_apiserver {

using KeyMap = std::map<std::string, SharedPkey>;

// RSA public key from the big-endian bytes of its modulus and exponent.
SharedPkey rsa_public_key(const std::string& modulus, const std::string& exponent);

// Keeps the RSA keys with a kid that are not marked for encryption.
// Throws std::runtime_error if the document is not a JWKS.
KeyMap parse_jwks(const std::string& document);

}  // namespace aks::fake_apiserver
