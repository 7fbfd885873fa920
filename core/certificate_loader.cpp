#include "core/certificate_loader.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/errors.h"
#include "core/openssl_ptr.h"

namespace aks {
namespace {

constexpr std::size_t kMaxCertificateFile = 1 << 20;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError("cannot read --client-certificate " + path + ": " + std::strerror(errno));
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string data = ss.str();
    if (data.empty()) throw UsageError("--client-certificate " + path + " is empty");
    if (data.size() > kMaxCertificateFile)
        throw UsageError("--client-certificate " + path + " is too large to be a certificate");
    return data;
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
        cert.reset(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    }
    {
        BioPtr bio = memory_bio(data);
        key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, pem_password,
                                          const_cast<std::string*>(&password)));
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
    const std::string data = read_file(path);
    X509Ptr cert;
    EvpPkeyPtr key;
    if (data.find("-----BEGIN") != std::string::npos)
        load_pem(path, data, password, cert, key);
    else
        load_pfx(path, data, password, cert, key);

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
