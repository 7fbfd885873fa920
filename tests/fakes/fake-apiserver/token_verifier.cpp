#include "tests/fakes/fake-apiserver/token_verifier.h"

#include <picojson.h>

#include <algorithm>

#include "tests/fakes/fake-apiserver/base64url.h"
#include "tests/fakes/fake-apiserver/log.h"

namespace aks::fake_apiserver {
namespace {

picojson::object decode_json_part(std::string_view part, const char* what) {
  auto bytes = base64url_decode(part);
  picojson::value v;
  if (!bytes || !picojson::parse(v, *bytes).empty() || !v.is<picojson::object>())
    throw AuthFailure(std::string("token ") + what + " is not base64url JSON");
  return v.get<picojson::object>();
}

const picojson::value* find(const picojson::object& o, const char* name) {
  auto it = o.find(name);
  return it == o.end() ? nullptr : &it->second;
}

std::string string_claim(const picojson::object& o, const char* name) {
  const picojson::value* v = find(o, name);
  return v && v->is<std::string>() ? v->get<std::string>() : "";
}

bool audience_matches(const picojson::value* aud, const std::string& want) {
  if (!aud) return false;
  if (aud->is<std::string>()) return aud->get<std::string>() == want;
  if (!aud->is<picojson::array>()) return false;
  for (const auto& a : aud->get<picojson::array>())
    if (a.is<std::string>() && a.get<std::string>() == want) return true;
  return false;
}

bool signature_valid(EVP_PKEY* key, std::string_view signed_part, const std::string& sig) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(signed_part.data()),
                          signed_part.size()) == 1;
}

// AKS names users by upn and falls back to the object id (service principals).
Identity identity_from(const picojson::object& claims) {
  Identity id;
  for (const char* name : {"upn", "unique_name", "preferred_username", "email", "oid", "sub"}) {
    id.username = string_claim(claims, name);
    if (!id.username.empty()) break;
  }
  id.uid = string_claim(claims, "oid");
  if (const picojson::value* g = find(claims, "groups"); g && g->is<picojson::array>())
    for (const auto& group : g->get<picojson::array>())
      if (group.is<std::string>()) id.groups.push_back(group.get<std::string>());
  id.groups.push_back("system:authenticated");
  if (!id.uid.empty()) id.extra["oid"] = {id.uid};
  return id;
}

}  // namespace

TokenVerifier::TokenVerifier(std::unique_ptr<JwksSource> source, VerifierConfig config)
    : source_(std::move(source)), config_(std::move(config)) {}

void TokenVerifier::load() {
  std::lock_guard<std::mutex> lock(mu_);
  last_fetch_ = std::chrono::steady_clock::now();
  keys_ = parse_jwks(source_->fetch());
  if (keys_.empty()) throw std::runtime_error("JWKS holds no RSA signing key with a kid");
}

SharedPkey TokenVerifier::key_for(const std::string& kid) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = keys_.find(kid); it != keys_.end()) return it->second;
  // An unknown kid may mean the issuer rotated its keys: look again, but rarely.
  auto now = std::chrono::steady_clock::now();
  if (now - last_fetch_ < config_.refetch_interval) return nullptr;
  last_fetch_ = now;
  try {
    keys_ = parse_jwks(source_->fetch());
    log_line("re-fetched JWKS (" + std::to_string(keys_.size()) + " keys)");
  } catch (const std::exception& e) {
    log_line(std::string("JWKS re-fetch failed, keeping the old keys: ") + e.what());
    return nullptr;
  }
  auto it = keys_.find(kid);
  return it == keys_.end() ? nullptr : it->second;
}

Identity TokenVerifier::verify(std::string_view token, std::time_t now) {
  auto dot1 = token.find('.');
  auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    throw AuthFailure("token is not a JWS compact serialization");
  picojson::object header = decode_json_part(token.substr(0, dot1), "header");
  picojson::object claims = decode_json_part(token.substr(dot1 + 1, dot2 - dot1 - 1), "payload");
  auto signature = base64url_decode(token.substr(dot2 + 1));
  if (!signature || signature->empty()) throw AuthFailure("token signature is not base64url");

  std::string alg = string_claim(header, "alg");
  if (alg != "RS256") throw AuthFailure("token alg \"" + alg + "\" is not RS256");
  std::string kid = string_claim(header, "kid");
  if (kid.empty()) throw AuthFailure("token header has no kid");
  SharedPkey key = key_for(kid);
  if (!key) throw AuthFailure("token kid \"" + kid + "\" is not in the JWKS");
  if (!signature_valid(key.get(), token.substr(0, dot2), *signature))
    throw AuthFailure("token signature does not verify");

  std::string iss = string_claim(claims, "iss");
  if (std::find(config_.issuers.begin(), config_.issuers.end(), iss) == config_.issuers.end())
    throw AuthFailure("token issuer \"" + iss + "\" is not accepted");
  if (!audience_matches(find(claims, "aud"), config_.audience))
    throw AuthFailure("token audience is not " + config_.audience);
  const picojson::value* exp = find(claims, "exp");
  if (!exp || !exp->is<double>()) throw AuthFailure("token has no numeric exp");
  if (exp->get<double>() <= static_cast<double>(now)) throw AuthFailure("token has expired");
  if (const picojson::value* nbf = find(claims, "nbf")) {
    if (!nbf->is<double>()) throw AuthFailure("token nbf is not a number");
    if (nbf->get<double>() > static_cast<double>(now + config_.nbf_skew_seconds))
      throw AuthFailure("token is not valid yet (nbf)");
  }
  Identity id = identity_from(claims);
  if (id.username.empty()) throw AuthFailure("token names no user (upn, oid or sub)");
  return id;
}

}  // namespace aks::fake_apiserver
