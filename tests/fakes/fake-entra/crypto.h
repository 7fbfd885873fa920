// OpenSSL helpers for the fake: randomness, base64url, SHA-256 and the RSA
// key that signs every token. Independent of core/ on purpose: the fake must
// not share code with what it tests.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

namespace aks::fake_entra {

struct EvpPkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;

std::string random_bytes(std::size_t n);
std::string base64url(std::string_view bytes);
std::string sha256(std::string_view data);
std::string random_uuid();                       // RFC 4122 version 4, lower case
std::string random_token(std::size_t n_bytes);   // base64url of n random bytes
std::string random_user_code();                  // 9 characters, as Entra prints them

// An RSA key that signs RS256 JWTs and publishes itself as a JWK.
class RsaSigner {
public:
    static RsaSigner generate();                        // RSA-2048
    static RsaSigner load(const std::string& pem_path); // PKCS#8 or PKCS#1 PEM

    std::string sign_rs256(std::string_view data) const;  // raw signature bytes
    const std::string& kid() const { return kid_; }
    const std::string& n() const { return n_; }  // base64url modulus
    const std::string& e() const { return e_; }  // base64url exponent

private:
    explicit RsaSigner(EvpPkeyPtr key);
    std::shared_ptr<EVP_PKEY> key_;
    std::string kid_, n_, e_;
};

}  // namespace aks::fake_entra
