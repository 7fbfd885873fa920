#include "tests/fakes/fake-apiserver/responses.h"

namespace aks::fake_apiserver {
namespace {

// picojson writes "/" as "\/"; Go's encoder (the real apiserver) does not,
// and tests grep for "linux/amd64", so undo that one escape.
std::string unescape_slashes(const std::string& json) {
  std::string out;
  out.reserve(json.size());
  for (size_t i = 0; i < json.size(); ++i) {
    if (json[i] == '\\' && i + 1 < json.size()) {
      if (json[i + 1] != '/') out.push_back('\\');
      out.push_back(json[++i]);
    } else {
      out.push_back(json[i]);
    }
  }
  return out;
}

}  // namespace

Reply json_reply(http::status status, const picojson::value& body) {
  Reply r;
  r.response.result(status);
  r.response.set(http::field::content_type, "application/json");
  r.response.set(http::field::cache_control, "no-cache, private");
  r.response.body() = unescape_slashes(body.serialize());
  return r;
}

Reply status_reply(const picojson::value& status) {
  const picojson::value& code = status.get("code");
  unsigned n = code.is<double>() ? static_cast<unsigned>(code.get<double>()) : 500;
  return json_reply(static_cast<http::status>(n), status);
}

Reply text_reply(http::status status, std::string body) {
  Reply r;
  r.response.result(status);
  r.response.set(http::field::content_type, "text/plain; charset=utf-8");
  r.response.set(http::field::cache_control, "no-cache, private");
  r.response.body() = std::move(body);
  return r;
}

}  // namespace aks::fake_apiserver
