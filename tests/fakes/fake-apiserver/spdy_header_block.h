#pragma once
// The uncompressed SPDY/3 name/value header block: a 32-bit pair count, then
// per pair a 32-bit length and the name, a 32-bit length and the value.
// Names are lowercase on the wire; a value may hold several NUL-separated values.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aks::fake_apiserver::spdy {

using Headers = std::vector<std::pair<std::string, std::string>>;

Headers decode_header_block(std::string_view block);  // throws ProtocolError
std::string encode_header_block(const Headers& headers);

// The value of a header ("" when absent); names compare case-insensitively.
std::string header_value(const Headers& headers, std::string_view name);

}  // namespace aks::fake_apiserver::spdy
