#include "core/client_assertion.h"

#include <openssl/err.h>
#include <openssl/rsa.h>
#include <picojson.h>

#include "core/base64url.h"
#include "core/errors.h"
#include "core/openssl_ptr.h"
#include "core/pkce.h"
#include "core/sha256.h"

namespace aks {
namespace {

std::string b64(const std::string& bytes) { return base64url_encode(bytes); }

picojson::value num(std::int64_t n) { return picojson::value(static_cast<double>(n)); }

}  // namespace

std::string sign_ps256(EVP_PKEY* key, const std::string& data) {
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
    std::size_t len = 0;
    const bool ok = ctx && EVP_DigestSignInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key) == 1 &&
                    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
                    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
                    EVP_DigestSign(ctx.get(), nullptr, &len,
                                   reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
    std::string sig(len, '\0');
    if (!ok || EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                              reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
        ERR_clear_error();
        throw AuthError("signing the client assertion with the certificate's key failed");
    }
    sig.resize(len);
    return sig;
}

std::string make_client_assertion(const ClientCertificate& cert, const std::string& client_id,
                                  const std::string& token_endpoint, std::int64_t now) {
    const auto thumb = sha256(cert.cert_der);
    picojson::object header{
        {"alg", picojson::value("PS256")},
        {"typ", picojson::value("JWT")},
        {"x5t#S256", picojson::value(b64(std::string(reinterpret_cast<const char*>(thumb.data()), thumb.size())))},
    };
    picojson::object claims{
        {"aud", picojson::value(token_endpoint)},
        {"iss", picojson::value(client_id)},
        {"sub", picojson::value(client_id)},
        {"jti", picojson::value(random_urlsafe(16))},
        {"nbf", num(now)},
        {"iat", num(now)},
        {"exp", num(now + kClientAssertionLifetime)},
    };
    const std::string signing_input =
        b64(picojson::value(header).serialize()) + "." + b64(picojson::value(claims).serialize());
    return signing_input + "." + b64(sign_ps256(cert.key.get(), signing_input));
}

}  // namespace aks
