// JSON helpers: an insertion-ordered object writer (Entra's responses list
// their fields in a fixed order; ours follow it so captures look the same)
// and small accessors over picojson.
#pragma once

#include <picojson.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace aks::fake_entra {

// Serializes like picojson but leaves '/' unescaped, as Entra does.
std::string to_json(const picojson::value& v);

class OrderedJson {
public:
    OrderedJson& add(const std::string& key, picojson::value v) {
        fields_.emplace_back(key, std::move(v));
        return *this;
    }
    OrderedJson& add(const std::string& key, const std::string& s) {
        return add(key, picojson::value(s));
    }
    OrderedJson& add(const std::string& key, const char* s) { return add(key, std::string(s)); }
    OrderedJson& add(const std::string& key, bool b) { return add(key, picojson::value(b)); }
    OrderedJson& add(const std::string& key, std::int64_t n) {
        return add(key, picojson::value(static_cast<double>(n)));
    }
    // A number that may be sent as a string ("3599"), as IMDS and some
    // Entra front ends do; clients must accept both.
    OrderedJson& add_number(const std::string& key, std::int64_t n, bool as_string) {
        return as_string ? add(key, std::to_string(n)) : add(key, n);
    }
    bool empty() const { return fields_.empty(); }
    std::string str() const;

private:
    std::vector<std::pair<std::string, picojson::value>> fields_;
};

inline picojson::value string_array(const std::vector<std::string>& items) {
    picojson::array a;
    for (const auto& s : items) a.emplace_back(s);
    return picojson::value(a);
}

// Typed readers for /_control bodies; throw std::invalid_argument naming the key.
std::int64_t json_int(const picojson::value& v, const std::string& key);
bool json_bool(const picojson::value& v, const std::string& key);
std::string json_string(const picojson::value& v, const std::string& key);
std::vector<std::string> json_string_array(const picojson::value& v, const std::string& key);

// Parses a control body: empty means {}; anything but an object throws.
picojson::object parse_object(const std::string& body);

}  // namespace aks::fake_entra
