#include "tests/fakes/fake-apiserver/tls_context.h"

#include <openssl/ssl.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace aks::fake_apiserver {
namespace {

// ALPN as kube-apiserver (Go's crypto/tls with NextProtos ["h2",
// "http/1.1"]) answers: h2 when the client offers it and HTTP/2 is on,
// else http/1.1; no protocol in common leaves ALPN unanswered. `arg` is the
// App's http2_enabled switch (null: HTTP/1.1 only).
bool offers(const unsigned char* in, unsigned int inlen, const char* proto, const unsigned char** out,
            unsigned char* outlen) {
  const std::size_t want = std::strlen(proto);
  for (unsigned int i = 0; i < inlen;) {
    unsigned int len = in[i];
    if (i + 1 + len > inlen) break;
    if (len == want && std::memcmp(in + i + 1, proto, want) == 0) {
      *out = in + i + 1;
      *outlen = static_cast<unsigned char>(len);
      return true;
    }
    i += 1 + len;
  }
  return false;
}

int select_protocol(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                    unsigned int inlen, void* arg) {
  const auto* http2 = static_cast<const std::atomic<bool>*>(arg);
  if (http2 && http2->load() && offers(in, inlen, "h2", out, outlen)) return SSL_TLSEXT_ERR_OK;
  if (offers(in, inlen, "http/1.1", out, outlen)) return SSL_TLSEXT_ERR_OK;
  return SSL_TLSEXT_ERR_NOACK;
}

// OpenSSL's "asio.ssl error" does not say a file is missing; check first.
void require_readable(const char* flag, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(std::string("cannot read ") + flag + " " + path + ": " +
                                    std::strerror(errno));
}

// The cipher as kube-apiserver (Go's crypto/tls server, default settings)
// picks it: its own order, AES-128-GCM first, whatever order the client
// offers. Go moves ChaCha20-Poly1305 first when the client's first suite it
// knows is not AES-GCM (or the server lacks AES hardware); OpenSSL's
// PRIORITIZE_CHACHA does when the client's first suite is ChaCha20, the same
// for every TLS 1.3 client and for TLS 1.2 clients that lead with an AEAD.
// OpenSSL's own server default follows the client's order, which puts
// AES-256-GCM first. golang/go src/crypto/tls: handshake_server_tls13.go
// (processClientHello: defaultCipherSuitesTLS13 unless no AES hardware or
// !aesgcmPreferred) at c98867d; defaults.go (the TLS 1.3 lists; RSA key
// exchange and 3DES off unless GODEBUG) at 090372e; cipher_suites.go
// (cipherSuitesPreferenceOrder, the TLS 1.2 order; disabledCipherSuites:
// CBC-SHA256 and RC4) and handshake_server.go (pickCipherSuite: the
// server's list, isAESGCMPreferred), as in golang/go's tree today.
void choose_cipher_as_go(SSL_CTX* ctx) {
  if (SSL_CTX_set_ciphersuites(
          ctx, "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256") != 1)
    throw std::runtime_error("cannot set the TLS 1.3 cipher suites");
  if (SSL_CTX_set_cipher_list(ctx,
                              "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                              "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                              "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
                              "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:"
                              "ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA") != 1)
    throw std::runtime_error("cannot set the TLS 1.2 cipher list");
  SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_PRIORITIZE_CHACHA);
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
  SSL_CTX_set_alpn_select_cb(ctx.native_handle(), select_protocol, nullptr);
  choose_cipher_as_go(ctx.native_handle());
  return ctx;
}

void offer_http2(boost::asio::ssl::context& ctx, const std::atomic<bool>& enabled) {
  SSL_CTX_set_alpn_select_cb(ctx.native_handle(), select_protocol,
                             const_cast<std::atomic<bool>*>(&enabled));
}

}  // namespace aks::fake_apiserver
