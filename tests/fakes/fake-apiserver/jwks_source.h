#pragma once
// Where the JWKS document comes from: a file, or the issuer's https endpoint.
#include <memory>
#include <string>

namespace aks::fake_apiserver {

class JwksSource {
 public:
  virtual ~JwksSource() = default;
  // The current document; throws std::runtime_error with a one-line reason.
  virtual std::string fetch() = 0;
};

std::unique_ptr<JwksSource> make_file_jwks_source(std::string path);
// Fetches with cpp-httplib, verifying the server against `ca_file` only.
std::unique_ptr<JwksSource> make_url_jwks_source(std::string url, std::string ca_file);

}  // namespace aks::fake_apiserver
