#include "core/url.h"

#include <cctype>

namespace aks {
namespace {

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool is_unreserved(unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

bool valid_reg_name(const std::string& host) {
    if (host.empty()) return false;
    for (unsigned char c : host) {
        if (!is_unreserved(c)) return false;
    }
    return true;
}

bool valid_ipv6(const std::string& host) {
    if (host.empty()) return false;
    for (unsigned char c : host) {
        if (!std::isxdigit(c) && c != ':' && c != '.') return false;
    }
    return host.find(':') != std::string::npos;
}

std::optional<int> parse_port(const std::string& s) {
    if (s.empty() || s.size() > 5) return std::nullopt;
    int port = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return std::nullopt;
    return port;
}

int default_port(const std::string& scheme) { return scheme == "https" ? 443 : 80; }

}  // namespace

std::string Url::origin() const {
    std::string out = scheme + "://";
    if (host.find(':') != std::string::npos) {
        out += "[" + host + "]";
    } else {
        out += host;
    }
    if (port != 0 && port != default_port(scheme)) out += ":" + std::to_string(port);
    return out;
}

std::optional<Url> parse_url(const std::string& text) {
    // The path ends up in a request line: no whitespace or control characters.
    for (unsigned char c : text) {
        if (c <= 0x20 || c == 0x7f) return std::nullopt;
    }
    const auto sep = text.find("://");
    if (sep == std::string::npos) return std::nullopt;
    Url u;
    u.scheme = lower(text.substr(0, sep));
    if (u.scheme != "http" && u.scheme != "https") return std::nullopt;

    const std::size_t auth_begin = sep + 3;
    const std::size_t auth_end = text.find_first_of("/?#", auth_begin);
    const std::string authority =
        text.substr(auth_begin, auth_end == std::string::npos ? std::string::npos : auth_end - auth_begin);
    if (authority.find('@') != std::string::npos) return std::nullopt;  // no credentials in URLs

    std::string port_text;
    bool has_port = false;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string::npos) return std::nullopt;
        u.host = lower(authority.substr(1, close - 1));
        if (!valid_ipv6(u.host)) return std::nullopt;
        const std::string rest = authority.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return std::nullopt;
            has_port = true;
            port_text = rest.substr(1);
        }
    } else {
        const auto colon = authority.find(':');
        u.host = lower(authority.substr(0, colon));
        if (colon != std::string::npos) {
            has_port = true;
            port_text = authority.substr(colon + 1);
        }
        if (!valid_reg_name(u.host)) return std::nullopt;
    }
    if (has_port) {
        const auto port = parse_port(port_text);
        if (!port) return std::nullopt;
        u.port = *port;
    } else {
        u.port = default_port(u.scheme);
    }

    if (auth_end != std::string::npos) {
        // The fragment never goes on the wire.
        const auto hash = text.find('#', auth_end);
        u.path = text.substr(auth_end, hash == std::string::npos ? std::string::npos : hash - auth_end);
    }
    if (u.path.empty() || u.path.front() != '/') u.path.insert(0, "/");
    return u;
}

std::string percent_encode(const std::string& s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        if (is_unreserved(c)) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0x0f]);
        }
    }
    return out;
}

std::string form_encode(const std::multimap<std::string, std::string>& params) {
    // %20 rather than '+': every form parser accepts it, and it is unambiguous.
    std::string out;
    for (const auto& [key, value] : params) {
        if (!out.empty()) out.push_back('&');
        out += percent_encode(key);
        out.push_back('=');
        out += percent_encode(value);
    }
    return out;
}

}  // namespace aks
