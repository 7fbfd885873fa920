#pragma once
// Entra and IMDS send numbers as JSON numbers or as numeric strings
// ("expires_in":"3599"); both must be accepted.
#include <picojson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aks {

// An integral JSON number (a fractional one is truncated) or a string of
// decimal digits with optional '-' and surrounding whitespace; nullopt for
// anything else or a value outside int64.
std::optional<std::int64_t> json_int(const picojson::value& v);
// Looks up `key` in an object value; nullopt when absent or not integral.
std::optional<std::int64_t> json_int_field(const picojson::value& object, const std::string& key);
// "" when `object` is not an object, or `key` is absent or not a string.
std::string json_string_field(const picojson::value& object, const std::string& key);

// Parses exactly one JSON value (surrounding whitespace allowed, nothing else
// after it). Nesting deeper than 64 levels is refused, since picojson recurses.
std::optional<picojson::value> parse_json(std::string_view text);

}  // namespace aks
