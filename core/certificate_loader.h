#pragma once
// A service principal's client certificate: PEM (certificate and private key,
// in one file, in any order) or PFX/PKCS#12 with an optional password, as
// kubelogin's --client-certificate accepts.
#include <memory>
#include <string>

#include <openssl/evp.h>

namespace aks {

struct ClientCertificate {
    std::shared_ptr<EVP_PKEY> key;  // RSA private key (PS256 needs RSA)
    std::string cert_der;           // leaf certificate, DER
};

// Throws UsageError naming the file and what is wrong with it (unreadable,
// no certificate, no key, wrong password, key not RSA, key and certificate
// not a pair). Never prints the password or key material.
ClientCertificate load_client_certificate(const std::string& path, const std::string& password);

}  // namespace aks
