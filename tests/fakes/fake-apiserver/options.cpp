#include "tests/fakes/fake-apiserver/options.h"

#include <cerrno>
#include <cstdlib>
#include <string_view>

namespace aks::fake_apiserver {
namespace {

long parse_number(const std::string& flag, const std::string& value, long lo, long hi) {
  char* end = nullptr;
  errno = 0;
  long n = std::strtol(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || errno != 0 || n < lo || n > hi)
    throw UsageError(flag + " needs a number from " + std::to_string(lo) + " to " +
                     std::to_string(hi) + ", got \"" + value + "\"");
  return n;
}

struct Flag {
  const char* name;
  const char* arg;  // nullptr: the flag takes no value
  const char* help;
  void (*set)(Options&, const std::string& value);
};

const Flag kFlags[] = {
    {"--cert", "FILE", "server certificate chain (PEM), required",
     [](Options& o, const std::string& v) { o.cert = v; }},
    {"--key", "FILE", "server private key (PEM), required",
     [](Options& o, const std::string& v) { o.key = v; }},
    {"--jwks-url", "URL", "https URL of the token issuer's JWKS (fetched at start, again for unknown kids)",
     [](Options& o, const std::string& v) { o.jwks_url = v; }},
    {"--jwks-file", "FILE", "static JWKS document instead of --jwks-url",
     [](Options& o, const std::string& v) { o.jwks_file = v; }},
    {"--ca", "FILE", "CA bundle that verifies the --jwks-url server",
     [](Options& o, const std::string& v) { o.ca = v; }},
    {"--issuer", "URL", "accepted token issuer; repeatable, at least one",
     [](Options& o, const std::string& v) { o.issuers.push_back(v); }},
    {"--audience", "ID", "required token audience (AKS: 6dae42f8-4368-4678-94ff-3960e28e3630)",
     [](Options& o, const std::string& v) { o.audience = v; }},
    {"--allow-group", "ID", "group allowed to read resources; repeatable",
     [](Options& o, const std::string& v) { o.allow_groups.push_back(v); }},
    {"--allow-user", "UPN", "user allowed to read resources; repeatable (no --allow-*: everyone)",
     [](Options& o, const std::string& v) { o.allow_users.push_back(v); }},
    {"--host", "ADDR", "listen address (default 127.0.0.1)",
     [](Options& o, const std::string& v) { o.host = v; }},
    {"--port", "N", "listen port (default 0: ephemeral)",
     [](Options& o, const std::string& v) {
       o.port = static_cast<unsigned short>(parse_number("--port", v, 0, 65535));
     }},
    {"--port-file", "FILE", "write the bound port here (atomically) once listening",
     [](Options& o, const std::string& v) { o.port_file = v; }},
    {"--threads", "N", "threads running the event loop (default 2)",
     [](Options& o, const std::string& v) {
       o.threads = static_cast<int>(parse_number("--threads", v, 1, 64));
     }},
    {"--no-http2", nullptr, "refuse HTTP/2: ALPN selects http/1.1 only (also /_control/http2)",
     [](Options& o, const std::string&) { o.http2 = false; }},
    {"--http2-max-streams", "N", "HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS (default 250, Go's default)",
     [](Options& o, const std::string& v) {
       o.http2_max_streams = static_cast<unsigned>(parse_number("--http2-max-streams", v, 1, 1000000));
     }},
    {"--goaway-chance", "P",
     "share of HTTP/2 requests followed by a GOAWAY, as kube-apiserver's flag (which caps it at 0.02; here 0 to 1)",
     [](Options& o, const std::string& v) {
       char* end = nullptr;
       o.goaway_chance = std::strtod(v.c_str(), &end);
       if (v.empty() || *end != '\0' || !(o.goaway_chance >= 0 && o.goaway_chance <= 1))
         throw UsageError("--goaway-chance needs a number from 0 to 1, got \"" + v + "\"");
     }},
    {"--help", nullptr, "show this help", [](Options& o, const std::string&) { o.help = true; }},
};

const Flag* find_flag(std::string_view name) {
  if (name == "-h") name = "--help";
  for (const Flag& f : kFlags)
    if (name == f.name) return &f;
  return nullptr;
}

void validate(const Options& o) {
  if (o.cert.empty()) throw UsageError("missing --cert");
  if (o.key.empty()) throw UsageError("missing --key");
  if (o.jwks_url.empty() == o.jwks_file.empty())
    throw UsageError("give exactly one of --jwks-url and --jwks-file");
  if (!o.jwks_url.empty()) {
    if (o.jwks_url.rfind("https://", 0) != 0)
      throw UsageError("--jwks-url must be an https:// URL");
    if (o.ca.empty()) throw UsageError("--jwks-url needs --ca to verify the JWKS server");
  }
  if (o.issuers.empty()) throw UsageError("missing --issuer");
  if (o.audience.empty()) throw UsageError("missing --audience");
}

}  // namespace

Options parse_options(int argc, const char* const* argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string name = arg;
    std::string value;
    bool inline_value = false;
    if (auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      inline_value = true;
    }
    const Flag* flag = find_flag(name);
    if (!flag) throw UsageError("unknown argument \"" + arg + "\"");
    if (!flag->arg) {
      if (inline_value) throw UsageError(name + " takes no value");
    } else if (!inline_value) {
      if (i + 1 >= argc) throw UsageError(name + " needs a value (" + flag->arg + ")");
      value = argv[++i];
    }
    flag->set(o, value);
  }
  if (!o.help) validate(o);
  return o;
}

std::string usage_text() {
  std::string s =
      "usage: fake-apiserver --cert FILE --key FILE (--jwks-url URL --ca FILE | --jwks-file FILE)\n"
      "                      --issuer URL... --audience ID [options]\n"
      "Loopback HTTPS fake of an AKS Kubernetes API server for tests.\n\n";
  for (const Flag& f : kFlags) {
    std::string left = std::string("  ") + f.name + (f.arg ? std::string(" ") + f.arg : "");
    if (left.size() < 22) left.resize(22, ' ');
    s += left + " " + f.help + "\n";
  }
  return s;
}

}  // namespace aks::fake_apiserver
