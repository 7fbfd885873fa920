#include "tests/fakes/fake-apiserver/jwks.h"

#include <openssl/core_names.h>
#include <picojson.h>

#include <stdexcept>

#include "tests/fakes/fake-apiserver/base64url.h"

namespace aks::fake_apiserver {
namespace {

BignumPtr to_bignum(const std::string& bytes) {
  BignumPtr bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                         static_cast<int>(bytes.size()), nullptr));
  if (!bn) throw std::runtime_error("out of memory building an RSA key");
  return bn;
}

std::string member(const picojson::object& o, const char* name) {
  auto it = o.find(name);
  return it != o.end() && it->second.is<std::string>() ? it->second.get<std::string>() : "";
}

}  // namespace

SharedPkey rsa_public_key(const std::string& modulus, const std::string& exponent) {
  BignumPtr n = to_bignum(modulus);
  BignumPtr e = to_bignum(exponent);
  ParamBuildPtr build(OSSL_PARAM_BLD_new());
  if (!build || OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
    throw std::runtime_error("cannot build RSA key parameters");
  ParamPtr params(OSSL_PARAM_BLD_to_param(build.get()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
    throw std::runtime_error("invalid RSA public key");
  return SharedPkey(raw, EVP_PKEY_free);
}

KeyMap parse_jwks(const std::string& document) {
  picojson::value root;
  std::string err = picojson::parse(root, document);
  if (!err.empty() || !root.is<picojson::object>())
    throw std::runtime_error("JWKS is not a JSON object");
  const auto& top = root.get<picojson::object>();
  auto keys = top.find("keys");
  if (keys == top.end() || !keys->second.is<picojson::array>())
    throw std::runtime_error("JWKS has no \"keys\" array");
  KeyMap out;
  for (const auto& k : keys->second.get<picojson::array>()) {
    if (!k.is<picojson::object>()) continue;
    const auto& jwk = k.get<picojson::object>();
    std::string kid = member(jwk, "kid");
    if (member(jwk, "kty") != "RSA" || kid.empty() || member(jwk, "use") == "enc") continue;
    auto n = base64url_decode(member(jwk, "n"));
    auto e = base64url_decode(member(jwk, "e"));
    if (!n || !e || n->empty() || e->empty())
      throw std::runtime_error("JWKS key \"" + kid + "\" has a malformed n or e");
    out[kid] = rsa_public_key(*n, *e);
  }
  return out;
}

}  // namespace aks::fake_apiserver
