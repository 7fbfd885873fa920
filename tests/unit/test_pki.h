#pragma once
// Throw-away RSA certificates for the client certificate tests, made with
// OpenSSL at test time (no key material in the repository).
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/openssl_ptr.h"

namespace aks_test {

struct TestCert {
    aks::EvpPkeyPtr key;
    aks::X509Ptr cert;

    // san: a subjectAltName value such as "IP:127.0.0.1" (none when null).
    static TestCert make(const char* algorithm = "RSA", const char* san = nullptr) {
        TestCert t;
        if (std::string(algorithm) == "RSA")
            t.key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048)));
        else
            t.key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
        if (!t.key) throw std::runtime_error("keygen failed");
        t.cert.reset(X509_new());
        X509_set_version(t.cert.get(), 2);
        ASN1_INTEGER_set(X509_get_serialNumber(t.cert.get()), 1);
        X509_gmtime_adj(X509_getm_notBefore(t.cert.get()), 0);
        X509_gmtime_adj(X509_getm_notAfter(t.cert.get()), 3600);
        X509_set_pubkey(t.cert.get(), t.key.get());
        X509_NAME* name = X509_get_subject_name(t.cert.get());
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("aks-auth test"),
                                   -1, -1, 0);
        X509_set_issuer_name(t.cert.get(), name);
        if (san != nullptr) {
            X509V3_CTX ctx;
            X509V3_set_ctx_nodb(&ctx);
            X509V3_set_ctx(&ctx, t.cert.get(), t.cert.get(), nullptr, nullptr, 0);
            X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, san);
            if (ext == nullptr) throw std::runtime_error("subjectAltName failed");
            X509_add_ext(t.cert.get(), ext, -1);
            X509_EXTENSION_free(ext);
        }
        if (X509_sign(t.cert.get(), t.key.get(), EVP_sha256()) == 0) throw std::runtime_error("sign failed");
        return t;
    }

    std::string cert_pem() const {
        aks::BioPtr b(BIO_new(BIO_s_mem()));
        PEM_write_bio_X509(b.get(), cert.get());
        return drain(b.get());
    }
    std::string key_pem() const {
        aks::BioPtr b(BIO_new(BIO_s_mem()));
        PEM_write_bio_PrivateKey(b.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
        return drain(b.get());
    }
    std::string pfx(const std::string& password) const {
        aks::Pkcs12Ptr p12(PKCS12_create(password.c_str(), "test", key.get(), cert.get(), nullptr, 0, 0, 0, 0, 0));
        if (!p12) throw std::runtime_error("PKCS12_create failed");
        aks::BioPtr b(BIO_new(BIO_s_mem()));
        i2d_PKCS12_bio(b.get(), p12.get());
        return drain(b.get());
    }
    std::string der() const {
        unsigned char* p = nullptr;
        const int n = i2d_X509(cert.get(), &p);
        std::string out(reinterpret_cast<char*>(p), static_cast<std::size_t>(n));
        OPENSSL_free(p);
        return out;
    }

private:
    static std::string drain(BIO* b) {
        char* data = nullptr;
        const long n = BIO_get_mem_data(b, &data);
        return std::string(data, static_cast<std::size_t>(n));
    }
};

}  // namespace aks_test
