#include "tests/fakes/fake-apiserver/tls_context.h"

#include <openssl/ssl.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace aks::fake_apiserver {
namespace {

// Go clients (kubectl) offer h2 first; we speak only HTTP/1.1, so pick it
// explicitly rather than leave ALPN unanswered.
int select_http11(SSL*, const unsigned char** out, unsigned char* outlen,
                  const unsigned char* in, unsigned int inlen, void*) {
  static const unsigned char kHttp11[] = "http/1.1";
  for (unsigned int i = 0; i < inlen;) {
    unsigned int len = in[i];
    if (i + 1 + len > inlen) break;
    if (len == 8 && std::memcmp(in + i + 1, kHttp11, 8) == 0) {
      *out = in + i + 1;
      *outlen = static_cast<unsigned char>(len);
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + len;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

// OpenSSL's "asio.ssl error" does not say a file is missing; check first.
void require_readable(const char* flag, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(std::string("cannot read ") + flag + " " + path + ": " +
                                    std::strerror(errno));
}

}  // namespace

boost::asio::ssl::context make_server_tls_context(const std::string& cert_file,
                                                  const std::string& key_file) {
  namespace ssl = boost::asio::ssl;
  ssl::context ctx(ssl::context::tls_server);
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                  ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  require_readable("--cert", cert_file);
  require_readable("--key", key_file);
  boost::system::error_code ec;
  ctx.use_certificate_chain_file(cert_file, ec);
  if (ec) throw std::runtime_error("cannot load --cert " + cert_file + ": " + ec.message());
  ctx.use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) throw std::runtime_error("cannot load --key " + key_file + ": " + ec.message());
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1)
    throw std::runtime_error("--key " + key_file + " does not match --cert " + cert_file);
  SSL_CTX_set_alpn_select_cb(ctx.native_handle(), select_http11, nullptr);
  return ctx;
}

}  // namespace aks::fake_apiserver
