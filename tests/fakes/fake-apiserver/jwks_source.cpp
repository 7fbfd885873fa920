#include "tests/fakes/fake-apiserver/jwks_source.h"

#include <httplib.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace aks::fake_apiserver {
namespace {

std::string describe(httplib::Error error) {
  switch (error) {
    case httplib::Error::Connection: return "cannot connect";
    case httplib::Error::ConnectionTimeout: return "connection timed out";
    case httplib::Error::SSLServerVerification:
      return "its certificate is not trusted by --ca or does not name the host";
    case httplib::Error::SSLLoadingCerts: return "cannot load the --ca file";
    default: return httplib::to_string(error) + " error";
  }
}

class FileJwksSource : public JwksSource {
 public:
  explicit FileJwksSource(std::string path) : path_(std::move(path)) {}
  std::string fetch() override {
    std::ifstream in(path_, std::ios::binary);
    std::ostringstream text;
    if (!(in && text << in.rdbuf())) throw std::runtime_error("cannot read JWKS file " + path_);
    return text.str();
  }

 private:
  std::string path_;
};

class UrlJwksSource : public JwksSource {
 public:
  UrlJwksSource(std::string url, std::string ca_file)
      : url_(std::move(url)), ca_file_(std::move(ca_file)) {
    // https://host[:port]/path: httplib takes the origin and the path apart.
    auto path_start = url_.find('/', std::string("https://").size());
    origin_ = url_.substr(0, path_start);
    path_ = path_start == std::string::npos ? "/" : url_.substr(path_start);
  }

  std::string fetch() override {
    httplib::Client client(origin_);
    client.set_ca_cert_path(ca_file_.c_str());
    client.enable_server_certificate_verification(true);
    client.set_connection_timeout(5);
    client.set_read_timeout(5);
    auto res = client.Get(path_.c_str());
    if (!res)
      throw std::runtime_error("cannot fetch JWKS from " + url_ + ": " +
                               describe(res.error()));
    if (res->status != 200)
      throw std::runtime_error("JWKS endpoint " + url_ + " answered HTTP " +
                               std::to_string(res->status));
    return res->body;
  }

 private:
  std::string url_, ca_file_, origin_, path_;
};

}  // namespace

std::unique_ptr<JwksSource> make_file_jwks_source(std::string path) {
  return std::make_unique<FileJwksSource>(std::move(path));
}

std::unique_ptr<JwksSource> make_url_jwks_source(std::string url, std::string ca_file) {
  return std::make_unique<UrlJwksSource>(std::move(url), std::move(ca_file));
}

}  // namespace aks::fake_apiserver
