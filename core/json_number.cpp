#include "core/json_number.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace aks {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::optional<std::int64_t> parse_decimal(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    bool negative = false;
    if (!s.empty() && s.front() == '-') {
        negative = true;
        s.remove_prefix(1);
    }
    if (s.empty()) return std::nullopt;
    // Accumulate as a negative number so INT64_MIN is representable.
    std::int64_t value = 0;
    constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        const int digit = c - '0';
        if (value < (kMin + digit) / 10) return std::nullopt;
        value = value * 10 - digit;
    }
    if (!negative) {
        if (value == kMin) return std::nullopt;
        value = -value;
    }
    return value;
}

std::optional<std::int64_t> from_double(double d) {
    // 2^63 is exactly representable; int64 holds [-2^63, 2^63).
    constexpr double kLimit = 9223372036854775808.0;
    if (!std::isfinite(d) || d >= kLimit || d < -kLimit) return std::nullopt;
    return static_cast<std::int64_t>(d);  // truncates toward zero
}

// Depth of [ and { outside strings; picojson itself has no recursion limit.
bool nesting_within(std::string_view text, int limit) {
    int depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit) return false;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return true;
}

}  // namespace

std::optional<std::int64_t> json_int(const picojson::value& v) {
#ifdef PICOJSON_USE_INT64
    if (v.is<std::int64_t>()) return v.get<std::int64_t>();
#endif
    if (v.is<double>()) return from_double(v.get<double>());
    if (v.is<std::string>()) return parse_decimal(v.get<std::string>());
    return std::nullopt;
}

std::optional<std::int64_t> json_int_field(const picojson::value& object, const std::string& key) {
    if (!object.is<picojson::object>()) return std::nullopt;
    const auto& obj = object.get<picojson::object>();
    const auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    return json_int(it->second);
}

std::string json_string_field(const picojson::value& object, const std::string& key) {
    if (!object.is<picojson::object>()) return {};
    const auto& obj = object.get<picojson::object>();
    const auto it = obj.find(key);
    if (it == obj.end() || !it->second.is<std::string>()) return {};
    return it->second.get<std::string>();
}

std::optional<picojson::value> parse_json(std::string_view text) {
    if (!nesting_within(text, 64)) return std::nullopt;
    picojson::value v;
    std::string err;  // quotes the input, so it is never shown to anyone
    const char* end = text.data() + text.size();
    const char* pos = nullptr;
    try {
        pos = picojson::parse(v, text.data(), end, &err);
    } catch (const std::exception&) {
        return std::nullopt;  // picojson throws on numbers beyond double, e.g. 1e999
    }
    if (!err.empty()) return std::nullopt;
    for (; pos != end; ++pos) {
        if (!is_space(*pos)) return std::nullopt;
    }
    return v;
}

}  // namespace aks
