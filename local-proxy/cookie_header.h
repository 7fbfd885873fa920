#pragma once
// The `name=value; name=value` pairs of a Cookie header (RFC 6265 §5.4), as
// views into the header text. Shared by the launch-cookie check and the
// Headlamp cookie rewrite so both read cookies the same way.
#include <string_view>
#include <vector>

namespace aks::proxy {

struct CookiePair {
    std::string_view text;   // the whole pair, trimmed ("flag" when it has no '=')
    std::string_view name;   // trimmed
    std::string_view value;  // trimmed; empty when there is no '='
};

// Pairs in order; empty pairs (";;") are skipped.
std::vector<CookiePair> cookie_pairs(std::string_view cookie_header);

}  // namespace aks::proxy
