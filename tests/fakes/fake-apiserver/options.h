#pragma once
// Command line of fake-apiserver: one table of flags drives parsing and --help.
#include <stdexcept>
#include <string>
#include <vector>

namespace aks::fake_apiserver {

struct Options {
  std::string cert;       // server certificate chain (PEM)
  std::string key;        // its private key (PEM)
  std::string ca;         // CA that signed the JWKS server's certificate
  std::string jwks_url;   // https URL of the identity provider's JWKS
  std::string jwks_file;  // or a static JWKS document
  std::vector<std::string> issuers;  // accepted "iss" values (any matches)
  std::string audience;              // required "aud"
  std::vector<std::string> allow_groups;  // authorization; both empty = allow all
  std::vector<std::string> allow_users;
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  std::string port_file;
  int threads = 2;
  // HTTP/2 (ALPN h2) as kube-apiserver serves it; off = HTTP/1.1 only.
  bool http2 = true;
  // SETTINGS_MAX_CONCURRENT_STREAMS: kube-apiserver's
  // --http2-max-streams-per-connection, whose 0 means Go's default of 250
  // (golang.org/x/net/http2/server.go, defaultMaxStreams).
  unsigned http2_max_streams = 250;
  // kube-apiserver's --goaway-chance: the share of HTTP/2 requests after
  // which the connection gets a graceful GOAWAY.
  double goaway_chance = 0;
  bool help = false;
};

// A bad command line; the message is one line naming the problem.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Options parse_options(int argc, const char* const* argv);
std::string usage_text();

}  // namespace aks::fake_apiserver
