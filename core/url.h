#pragma once
#include <map>
#include <optional>
#include <string>

namespace aks {

struct Url {
    std::string scheme;  // lowercased: "https" or "http"
    std::string host;    // lowercased, IPv6 without brackets
    int port = 0;        // explicit or scheme default
    std::string path;    // begins with '/', includes query
    std::string origin() const;  // scheme://host[:port] (brackets for IPv6)
};

std::optional<Url> parse_url(const std::string& text);

// application/x-www-form-urlencoded body (stable key order).
std::string form_encode(const std::multimap<std::string, std::string>& params);
std::string percent_encode(const std::string& s);

}  // namespace aks
