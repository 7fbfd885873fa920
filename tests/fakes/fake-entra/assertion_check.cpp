#include "tests/fakes/fake-entra/assertion_check.h"

#include "tests/fakes/fake-entra/wire.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <picojson.h>

#include <memory>

namespace aks::fake_entra {
namespace {

struct X509Free {
    void operator()(X509* p) const { X509_free(p); }
};
struct BioFree {
    void operator()(BIO* p) const { BIO_free(p); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};

const char kExchangeAudience[] = "api://AzureADTokenExchange";
const std::int64_t kMaxAssertionLifetime = 600;
const std::int64_t kSkew = 300;

bool parse_part(const std::string& b64, picojson::object& out) {
    picojson::value v;
    const std::string text = base64url_decode(b64);
    if (text.empty() || !picojson::parse(v, text).empty() || !v.is<picojson::object>()) return false;
    out = v.get<picojson::object>();
    return true;
}

std::string str(const picojson::object& o, const std::string& k) {
    auto it = o.find(k);
    return it != o.end() && it->second.is<std::string>() ? it->second.get<std::string>() : std::string();
}

std::int64_t num(const picojson::object& o, const std::string& k) {
    auto it = o.find(k);
    return it != o.end() && it->second.is<double>() ? static_cast<std::int64_t>(it->second.get<double>()) : -1;
}

bool aud_has(const picojson::object& o, const std::string& want) {
    auto it = o.find("aud");
    if (it == o.end()) return false;
    if (it->second.is<std::string>()) return it->second.get<std::string>() == want;
    if (it->second.is<picojson::array>())
        for (const auto& a : it->second.get<picojson::array>())
            if (a.is<std::string>() && a.get<std::string>() == want) return true;
    return false;
}

bool refuse(httplib::Response& res, std::int64_t code, const std::string& message) {
    send_entra_error(res, 401, "invalid_client", code, message);
    return false;
}

bool verify_ps256(X509* cert, const std::string& input, const std::string& sig) {
    std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key(X509_get_pubkey(cert), EVP_PKEY_free);
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    const bool ok = key && ctx &&
                    EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key.get()) == 1 &&
                    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
                    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
                    EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()),
                                     sig.size(), reinterpret_cast<const unsigned char*>(input.data()),
                                     input.size()) == 1;
    ERR_clear_error();
    return ok;
}

bool check_certificate_assertion(Fake& fake, const picojson::object& header, const picojson::object& claims,
                                 const std::string& input, const std::string& sig,
                                 const std::string& client_id, const std::string& token_endpoint,
                                 httplib::Response& res) {
    std::string pem;
    {
        std::lock_guard<std::mutex> lock(fake.mu);
        pem = fake.state.config.client_certificate;
    }
    std::unique_ptr<X509, X509Free> cert;
    if (!pem.empty()) {
        std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
        cert.reset(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    }
    std::string thumbprint;
    if (cert) {
        unsigned char* der = nullptr;
        const int n = i2d_X509(cert.get(), &der);
        if (n > 0) thumbprint = base64url(sha256(std::string(reinterpret_cast<char*>(der), static_cast<std::size_t>(n))));
        OPENSSL_free(der);
    }
    if (!cert || str(header, "x5t#S256") != thumbprint)
        return refuse(res, 700027,
                      "The certificate with identifier used to sign the client assertion is not "
                      "registered on application. [Reason - The key was not found.]");
    if (str(header, "alg") != "PS256")
        return refuse(res, 5002738, "Invalid JWT token. 'RS256' is not a supported signature algorithm; use PS256.");
    if (!verify_ps256(cert.get(), input, sig))
        return refuse(res, 700027, "Client assertion failed signature validation.");
    if (str(claims, "aud") != token_endpoint)
        return refuse(res, 700021, "Client assertion audience claim does not match Realm issuer.");
    if (str(claims, "iss") != client_id || str(claims, "sub") != client_id)
        return refuse(res, 700023, "Client assertion issuer and subject must be the client id.");
    if (str(claims, "jti").empty())
        return refuse(res, 50027, "Invalid JWT token. No jti claim.");
    const std::int64_t now = now_epoch(), exp = num(claims, "exp"), nbf = num(claims, "nbf");
    if (exp < 0 || nbf < 0 || exp <= now || nbf > now + kSkew || exp - nbf > kMaxAssertionLifetime)
        return refuse(res, 700024, "Client assertion is not within its valid time range.");
    std::lock_guard<std::mutex> lock(fake.mu);
    if (!fake.state.used_jti.insert(str(claims, "jti")).second)
        return refuse(res, 7000216, "Client assertion replayed: this jti was already used.");
    return true;
}

bool check_federated_assertion(Fake& fake, const picojson::object& claims, httplib::Response& res) {
    if (!aud_has(claims, kExchangeAudience))
        return refuse(res, 700212,
                      "No matching federated identity record found for presented assertion audience.");
    const std::int64_t exp = num(claims, "exp");
    if (exp < 0 || exp <= now_epoch())
        return refuse(res, 700024, "Client assertion is not within its valid time range.");
    std::string want;
    {
        std::lock_guard<std::mutex> lock(fake.mu);
        want = fake.state.config.federated_subject;
    }
    if (str(claims, "iss").empty() || (!want.empty() && str(claims, "sub") != want))
        return refuse(res, 700213,
                      "No matching federated identity record found for presented assertion subject '" +
                          str(claims, "sub") + "'.");
    return true;
}

}  // namespace

std::string base64url_decode(const std::string& text) {
    std::string out;
    unsigned v = 0;
    int bits = 0;
    for (char c : text) {
        int d;
        if (c >= 'A' && c <= 'Z') d = c - 'A';
        else if (c >= 'a' && c <= 'z') d = c - 'a' + 26;
        else if (c >= '0' && c <= '9') d = c - '0' + 52;
        else if (c == '-' || c == '+') d = 62;
        else if (c == '_' || c == '/') d = 63;
        else if (c == '=') break;
        else return {};
        v = (v << 6) | static_cast<unsigned>(d);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((v >> bits) & 0xff);
        }
    }
    return out;
}

bool check_client_assertion(Fake& fake, const std::string& assertion, const std::string& client_id,
                            const std::string& token_endpoint, httplib::Response& res) {
    const auto d1 = assertion.find('.');
    const auto d2 = d1 == std::string::npos ? d1 : assertion.find('.', d1 + 1);
    picojson::object header, claims;
    if (d2 == std::string::npos || !parse_part(assertion.substr(0, d1), header) ||
        !parse_part(assertion.substr(d1 + 1, d2 - d1 - 1), claims))
        return refuse(res, 50027, "JWT token is invalid or malformed.");
    if (header.count("x5t#S256") || header.count("x5t"))
        return check_certificate_assertion(fake, header, claims, assertion.substr(0, d2),
                                           base64url_decode(assertion.substr(d2 + 1)), client_id,
                                           token_endpoint, res);
    return check_federated_assertion(fake, claims, res);
}

}  // namespace aks::fake_entra
