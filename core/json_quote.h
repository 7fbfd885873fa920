#pragma once
// JSON string literals written by hand where building a picojson tree would
// cost more than the output (the cache file, the ExecCredential on the hot path).
#include <string>

namespace aks {

// JSON string literal (with quotes) for arbitrary bytes; control characters
// and DEL are \u-escaped, everything else is copied.
std::string json_quote(const std::string& s);

}  // namespace aks
