#include "core/client_assertion.h"

#include <openssl/rsa.h>

#include <catch2/catch.hpp>
#include <picojson.h>

#include "core/base64url.h"
#include "core/sha256.h"
#include "tests/unit/test_pki.h"

TEST_CASE("client assertion: PS256 JWT with x5t#S256 and the claims Entra checks", "[client_assertion]") {
    const auto t = aks_test::TestCert::make();
    aks::ClientCertificate c;
    c.cert_der = t.der();
    EVP_PKEY_up_ref(t.key.get());
    c.key = std::shared_ptr<EVP_PKEY>(t.key.get(), EVP_PKEY_free);
    const std::string endpoint = "https://login.example/t1/oauth2/v2.0/token";
    const std::string jwt = aks::make_client_assertion(c, "app-1", endpoint, 1700000000);

    const auto d1 = jwt.find('.'), d2 = jwt.rfind('.');
    REQUIRE(d1 != d2);
    picojson::value h, p;
    REQUIRE(picojson::parse(h, *aks::base64url_decode(jwt.substr(0, d1))).empty());
    REQUIRE(picojson::parse(p, *aks::base64url_decode(jwt.substr(d1 + 1, d2 - d1 - 1))).empty());
    CHECK(h.get("alg").get<std::string>() == "PS256");
    const auto thumb = aks::sha256(t.der());
    CHECK(h.get("x5t#S256").get<std::string>() ==
          aks::base64url_encode(std::string(reinterpret_cast<const char*>(thumb.data()), thumb.size())));
    CHECK(p.get("aud").get<std::string>() == endpoint);
    CHECK(p.get("iss").get<std::string>() == "app-1");
    CHECK(p.get("sub").get<std::string>() == "app-1");
    CHECK(p.get("nbf").get<double>() == 1700000000);
    CHECK(p.get("exp").get<double>() <= 1700000000 + 600);
    CHECK(p.get("exp").get<double>() > 1700000000);
    CHECK(p.get("jti").get<std::string>().size() >= 16);

    // The signature verifies with RSA-PSS/SHA-256 under the certificate's key.
    const std::string sig = *aks::base64url_decode(jwt.substr(d2 + 1));
    const std::string input = jwt.substr(0, d2);
    aks::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    REQUIRE(EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, t.key.get()) == 1);
    REQUIRE(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1);
    REQUIRE(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1);
    CHECK(EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                           reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1);

    // A fresh jti every time.
    const std::string again = aks::make_client_assertion(c, "app-1", endpoint, 1700000000);
    CHECK(again.substr(d1 + 1, d2 - d1 - 1) != jwt.substr(d1 + 1, d2 - d1 - 1));
}
