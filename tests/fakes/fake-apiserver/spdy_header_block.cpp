#include "tests/fakes/fake-apiserver/spdy_header_block.h"

#include <strings.h>

#include <cstdint>

#include "tests/fakes/fake-apiserver/spdy_compression.h"

namespace aks::fake_apiserver::spdy {
namespace {

struct Cursor {
  std::string_view s;
  std::size_t at = 0;

  std::uint32_t u32() {
    if (s.size() - at < 4) throw ProtocolError("header block truncated");
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(s[at++]);
    return v;
  }
  std::string text() {
    const std::uint32_t n = u32();
    if (s.size() - at < n) throw ProtocolError("header block truncated");
    std::string out(s.substr(at, n));
    at += n;
    return out;
  }
};

void put32(std::string& out, std::size_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

}  // namespace

Headers decode_header_block(std::string_view block) {
  Cursor c{block};
  const std::uint32_t count = c.u32();
  if (count > block.size() / 8) throw ProtocolError("header block count too large");
  Headers out;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::string name = c.text();
    std::string value = c.text();
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

std::string encode_header_block(const Headers& headers) {
  std::string out;
  put32(out, headers.size());
  for (const auto& [name, value] : headers) {
    put32(out, name.size());
    out += name;
    put32(out, value.size());
    out += value;
  }
  return out;
}

std::string header_value(const Headers& headers, std::string_view name) {
  for (const auto& [n, v] : headers)
    if (n.size() == name.size() && strncasecmp(n.data(), name.data(), n.size()) == 0) return v;
  return "";
}

}  // namespace aks::fake_apiserver::spdy
