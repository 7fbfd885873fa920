#include "core/certificate_loader.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "core/errors.h"
#include "core/openssl_ptr.h"

namespace aks {
namespace {

constexpr std::size_t kMaxCertificateFile = 1 << 20;

// Holds the file's bytes (the private key among them) and wipes them when done.
struct SecretBytes {
    std::string data;
    SecretBytes() = default;
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
    ~SecretBytes() { OPENSSL_cleanse(data.data(), data.size()); }
};

void read_file(const std::string& path, SecretBytes& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError("cannot read --client-certificate " + path + ": " + std::strerror(errno));
    // Bounded: a wrong path (a device, a huge file) must not fill memory.
    out.data.resize(kMaxCertificateFile + 1);
    in.read(out.data.data(), static_cast<std::streamsize>(out.data.size()));
    out.data.resize(static_cast<std::size_t>(in.gcount()));
    if (out.data.empty()) throw UsageError("--client-certificate " + path + " is empty or not a file");
    if (out.data.size() > kMaxCertificateFile)
        throw UsageError("--client-certificate " + path + " is too large to be a certificate");
}

BioPtr memory_bio(const std::string& data) {
    BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
    if (!bio) throw UsageError("out of memory reading the client certificate");
    return bio;
}

std::string der_of(X509* cert) {
    const int n = i2d_X509(cert, nullptr);
    if (n <= 0) throw UsageError("the client certificate cannot be encoded");
    std::string der(static_cast<std::size_t>(n), '\0');
    auto* p = reinterpret_cast<unsigned char*>(der.data());
    i2d_X509(cert, &p);
    return der;
}

// An empty callback result: a PEM key that is encrypted needs the password.
int pem_password(char* buf, int size, int, void* user) {
    const auto* pw = static_cast<const std::string*>(user);
    if (pw->empty() || static_cast<int>(pw->size()) > size) return 0;
    std::memcpy(buf, pw->data(), pw->size());
    return static_cast<int>(pw->size());
}

void load_pem(const std::string& path, const std::string& data, const std::string& password, X509Ptr& cert,
              EvpPkeyPtr& key) {
    {
        BioPtr bio = memory_bio(data);
        key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, pem_password,
                                          const_cast<std::string*>(&password)));
    }
    {
        // The leaf is the certificate of the key; a chain file may hold the
        // CA certificates too, in any order. Without a match the first one
        // stays, and the caller reports that key and certificate differ.
        BioPtr bio = memory_bio(data);
        while (X509Ptr c{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
            const bool matches = key && X509_check_private_key(c.get(), key.get()) == 1;
            if (matches || !cert) cert = std::move(c);
            if (matches) break;
        }
    }
    ERR_clear_error();
    if (!cert) throw UsageError("--client-certificate " + path + " has no PEM CERTIFICATE block");
    if (!key)
        throw UsageError("--client-certificate " + path +
                         " has no readable private key (PEM files must hold the certificate and its key; "
                         "an encrypted key needs --client-certificate-password)");
}

void load_pfx(const std::string& path, const std::string& data, const std::string& password, X509Ptr& cert,
              EvpPkeyPtr& key) {
    BioPtr bio = memory_bio(data);
    Pkcs12Ptr p12(d2i_PKCS12_bio(bio.get(), nullptr));
    if (!p12) {
        ERR_clear_error();
        throw UsageError("--client-certificate " + path + " is neither a PEM file nor a PFX/PKCS#12 file");
    }
    EVP_PKEY* raw_key = nullptr;
    X509* raw_cert = nullptr;
    STACK_OF(X509)* raw_ca = nullptr;
    const int ok = PKCS12_parse(p12.get(), password.c_str(), &raw_key, &raw_cert, &raw_ca);
    key.reset(raw_key);
    cert.reset(raw_cert);
    X509StackPtr ca(raw_ca);
    ERR_clear_error();
    if (ok != 1)
        throw UsageError("cannot open --client-certificate " + path +
                         ": wrong --client-certificate-password or a damaged PFX file");
    if (!cert) throw UsageError("--client-certificate " + path + " holds no certificate");
    if (!key) throw UsageError("--client-certificate " + path + " holds no private key");
}

}  // namespace

ClientCertificate load_client_certificate(const std::string& path, const std::string& password) {
    SecretBytes file;
    read_file(path, file);
    X509Ptr cert;
    EvpPkeyPtr key;
    if (file.data.find("-----BEGIN") != std::string::npos)
        load_pem(path, file.data, password, cert, key);
    else
        load_pfx(path, file.data, password, cert, key);

    if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA)
        throw UsageError("--client-certificate " + path + ": the key is not an RSA key (Entra needs PS256 signatures)");
    if (X509_check_private_key(cert.get(), key.get()) != 1) {
        ERR_clear_error();
        throw UsageError("--client-certificate " + path + ": the private key does not belong to the certificate");
    }
    ClientCertificate out;
    out.cert_der = der_of(cert.get());
    out.key = std::shared_ptr<EVP_PKEY>(key.release(), EVP_PKEY_free);
    return out;
}

}  // namespace aks
