#include "tests/fakes/fake-entra/crypto.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <cstdio>
#include <stdexcept>
#include <vector>

namespace aks::fake_entra {
namespace {

struct BnFree {
    void operator()(BIGNUM* p) const { BN_free(p); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct FileClose {
    void operator()(FILE* f) const { std::fclose(f); }
};

std::string bignum_param(const EVP_PKEY* key, const char* name) {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &raw) != 1)
        throw std::runtime_error("signing key is not an RSA key");
    std::unique_ptr<BIGNUM, BnFree> bn(raw);
    std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
    BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()));
    return base64url(bytes);
}

}  // namespace

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("OpenSSL RAND_bytes failed");
    return out;
}

std::string base64url(std::string_view bytes) {
    static const char table[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                     (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                     static_cast<unsigned char>(bytes[i + 2]);
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += table[(v >> 6) & 63];
        out += table[v & 63];
    }
    if (i + 1 == bytes.size()) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
    } else if (i + 2 == bytes.size()) {
        unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                     (static_cast<unsigned char>(bytes[i + 1]) << 8);
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += table[(v >> 6) & 63];
    }
    return out;
}

std::string sha256(std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("OpenSSL SHA-256 failed");
    return std::string(reinterpret_cast<char*>(md), len);
}

std::string random_uuid() {
    std::string b = random_bytes(16);
    b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += hex[(static_cast<unsigned char>(b[i]) >> 4) & 15];
        out += hex[static_cast<unsigned char>(b[i]) & 15];
    }
    return out;
}

std::string random_token(std::size_t n_bytes) { return base64url(random_bytes(n_bytes)); }

std::string random_user_code() {
    // Entra's user codes are 9 upper-case letters and digits.
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    std::string b = random_bytes(9), out;
    for (char c : b) out += alphabet[static_cast<unsigned char>(c) % 32];
    return out;
}

RsaSigner::RsaSigner(EvpPkeyPtr key) : key_(key.release(), EvpPkeyFree{}) {
    if (EVP_PKEY_get_base_id(key_.get()) != EVP_PKEY_RSA)
        throw std::runtime_error("signing key is not an RSA key");
    n_ = bignum_param(key_.get(), OSSL_PKEY_PARAM_RSA_N);
    e_ = bignum_param(key_.get(), OSSL_PKEY_PARAM_RSA_E);
    // kid: a thumbprint of the public key, so a reloaded key keeps its id.
    kid_ = base64url(sha256(n_ + "." + e_)).substr(0, 27);
}

RsaSigner RsaSigner::generate() {
    EvpPkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048)));
    if (!key) throw std::runtime_error("could not generate an RSA-2048 signing key");
    return RsaSigner(std::move(key));
}

RsaSigner RsaSigner::load(const std::string& pem_path) {
    std::unique_ptr<FILE, FileClose> f(std::fopen(pem_path.c_str(), "r"));
    if (!f) throw std::runtime_error("cannot read signing key file " + pem_path);
    EvpPkeyPtr key(PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr));
    if (!key) throw std::runtime_error("signing key file " + pem_path + " holds no PEM private key");
    return RsaSigner(std::move(key));
}

std::string RsaSigner::sign_rs256(std::string_view data) const {
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1)
        throw std::runtime_error("RS256 signing setup failed");
    std::size_t len = 0;
    auto in = reinterpret_cast<const unsigned char*>(data.data());
    if (EVP_DigestSign(ctx.get(), nullptr, &len, in, data.size()) != 1)
        throw std::runtime_error("RS256 signing failed");
    std::string sig(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in,
                       data.size()) != 1)
        throw std::runtime_error("RS256 signing failed");
    sig.resize(len);
    return sig;
}

}  // namespace aks::fake_entra
