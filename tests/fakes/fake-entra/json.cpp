#include "tests/fakes/fake-entra/json.h"

#include <cmath>
#include <stdexcept>

namespace aks::fake_entra {

namespace {

void quote(const std::string& s, std::string& out) {
    static const char hex[] = "0123456789abcdef";
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 15];
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
}

void write(const picojson::value& v, std::string& out) {
    if (v.is<std::string>()) {
        quote(v.get<std::string>(), out);
    } else if (v.is<picojson::array>()) {
        out += '[';
        bool first = true;
        for (const auto& item : v.get<picojson::array>()) {
            if (!first) out += ',';
            first = false;
            write(item, out);
        }
        out += ']';
    } else if (v.is<picojson::object>()) {
        out += '{';
        bool first = true;
        for (const auto& [key, item] : v.get<picojson::object>()) {
            if (!first) out += ',';
            first = false;
            quote(key, out);
            out += ':';
            write(item, out);
        }
        out += '}';
    } else {
        out += v.serialize();  // numbers, booleans, null
    }
}

}  // namespace

std::string to_json(const picojson::value& v) {
    std::string out;
    write(v, out);
    return out;
}

std::string OrderedJson::str() const {
    std::string out = "{";
    bool first = true;
    for (const auto& [key, value] : fields_) {
        if (!first) out += ',';
        first = false;
        quote(key, out);
        out += ':';
        write(value, out);
    }
    out += '}';
    return out;
}

std::int64_t json_int(const picojson::value& v, const std::string& key) {
    if (v.is<double>()) {
        double d = v.get<double>();
        if (std::floor(d) == d && std::fabs(d) < 9e15) return static_cast<std::int64_t>(d);
    }
    throw std::invalid_argument("'" + key + "' must be an integer");
}

bool json_bool(const picojson::value& v, const std::string& key) {
    if (!v.is<bool>()) throw std::invalid_argument("'" + key + "' must be true or false");
    return v.get<bool>();
}

std::string json_string(const picojson::value& v, const std::string& key) {
    if (!v.is<std::string>()) throw std::invalid_argument("'" + key + "' must be a string");
    return v.get<std::string>();
}

std::vector<std::string> json_string_array(const picojson::value& v, const std::string& key) {
    if (!v.is<picojson::array>())
        throw std::invalid_argument("'" + key + "' must be an array of strings");
    std::vector<std::string> out;
    for (const auto& item : v.get<picojson::array>()) out.push_back(json_string(item, key));
    return out;
}

picojson::object parse_object(const std::string& body) {
    if (body.find_first_not_of(" \t\r\n") == std::string::npos) return {};
    picojson::value v;
    const std::string err = picojson::parse(v, body);
    if (!err.empty() || !v.is<picojson::object>())
        throw std::invalid_argument("body must be a JSON object");
    return v.get<picojson::object>();
}

}  // namespace aks::fake_entra
