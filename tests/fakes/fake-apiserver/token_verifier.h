#pragma once
// Validates bearer tokens the way AKS does for Entra v1 access tokens:
// RS256 signature by a JWKS key, issuer, audience, expiry and not-before.
#include <chrono>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tests/fakes/fake-apiserver/jwks.h"
#include "tests/fakes/fake-apiserver/jwks_source.h"

namespace aks::fake_apiserver {

// Who the API server thinks is calling (Kubernetes user.Info).
struct Identity {
  std::string username;
  std::string uid;
  std::vector<std::string> groups;
  std::map<std::string, std::vector<std::string>> extra;
};

// Why a token was refused; never contains the token itself.
struct AuthFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct VerifierConfig {
  std::vector<std::string> issuers;
  std::string audience;
  std::chrono::seconds refetch_interval{10};  // least time between JWKS fetches
  long nbf_skew_seconds = 60;
};

class TokenVerifier {
 public:
  TokenVerifier(std::unique_ptr<JwksSource> source, VerifierConfig config);

  // First fetch of the key set; throws std::runtime_error if it cannot be had.
  void load();
  // Identity of a valid token; throws AuthFailure otherwise. Thread-safe.
  Identity verify(std::string_view token, std::time_t now);

 private:
  SharedPkey key_for(const std::string& kid);

  std::unique_ptr<JwksSource> source_;
  VerifierConfig config_;
  std::mutex mu_;  // guards keys_ and last_fetch_
  KeyMap keys_;
  std::chrono::steady_clock::time_point last_fetch_{};
};

}  // namespace aks::fake_apiserver
