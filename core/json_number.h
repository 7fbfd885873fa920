#pragma once
// Entra and IMDS send numbers as JSON numbers or as numeric strings
// ("expires_in":"3599"); both must be accepted.
#include <picojson.h>

#include <cstdint>
#include <optional>
#include <string>

namespace aks {

std::optional<std::int64_t> json_int(const picojson::value& v);
// Looks up `key` in an object value; nullopt when absent or not integral.
std::optional<std::int64_t> json_int_field(const picojson::value& object, const std::string& key);
std::string json_string_field(const picojson::value& object, const std::string& key);

}  // namespace aks
