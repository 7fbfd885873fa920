#include "local-proxy/request_target.h"

namespace aks::proxy {
namespace {

int hex_value(char h) {
    if (h >= '0' && h <= '9') return h - '0';
    if (h >= 'a' && h <= 'f') return h - 'a' + 10;
    if (h >= 'A' && h <= 'F') return h - 'A' + 10;
    return -1;
}

CanonicalPath refuse(std::string problem) { return CanonicalPath{false, {}, std::move(problem)}; }

// Strict UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF):
// RE2 matches UTF-8 text, and Go's regexp sees an invalid byte as U+FFFD, so
// an invalid byte could make "." fail to match where kubectl proxy's would.
bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        unsigned cp = 0;
        if (b < 0x80) {
            ++i;
            continue;
        } else if (b >= 0xC2 && b <= 0xDF) {
            n = 1, cp = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
            n = 2, cp = b & 0x0F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            n = 3, cp = b & 0x07;
        } else {
            return false;
        }
        if (i + n >= s.size()) return false;  // cut short
        for (std::size_t k = 1; k <= n; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (c & 0x3F);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        i += n + 1;
    }
    return true;
}

}  // namespace

TargetForm target_form(std::string_view target) {
    if (!target.empty() && target.front() == '/') return TargetForm::Origin;
    if (target == "*") return TargetForm::Asterisk;
    if (target.find("://") != std::string_view::npos) return TargetForm::Absolute;
    if (target.find('/') == std::string_view::npos && target.find(':') != std::string_view::npos)
        return TargetForm::Authority;
    return TargetForm::Other;
}

const char* decoded_path_problem(std::string_view path) {
    for (const char c : path)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "a control character";
    if (!valid_utf8(path)) return "bytes that are not UTF-8";
    // Segments: "/a/b/" → "a", "b", "" (the last may be empty: a trailing slash).
    for (std::size_t start = 1; start <= path.size();) {
        std::size_t slash = path.find('/', start);
        const bool last = slash == std::string_view::npos;
        if (last) slash = path.size();
        const std::string_view seg = path.substr(start, slash - start);
        if (seg.empty() && !last) return "an empty segment ('//')";
        if (seg == "." || seg == "..") return "a '.' or '..' segment";
        start = slash + 1;
    }
    return nullptr;
}

CanonicalPath canonical_path(std::string_view target) {
    if (target_form(target) != TargetForm::Origin) return refuse("the request target is not a path");
    // Fragments are never sent (RFC 9112 §3.2); Go would keep '#' in the path.
    if (target.find('#') != std::string_view::npos) return refuse("the request target has a '#'");
    // URIs are ASCII (RFC 3986); Beast lets bytes above 0x7F through, query included.
    for (const char c : target)
        if (static_cast<unsigned char>(c) >= 0x80)
            return refuse("the request target has a byte that is not ASCII (percent-encode it)");
    const std::string_view raw = target.substr(0, target.find('?'));
    std::string path;
    path.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c != '%') {
            path += c;
            continue;
        }
        const int hi = i + 2 < raw.size() ? hex_value(raw[i + 1]) : -1;
        const int lo = hi >= 0 ? hex_value(raw[i + 2]) : -1;
        if (hi < 0 || lo < 0) return refuse("the path has a '%' that is not followed by two hex digits");
        const char decoded = static_cast<char>(hi * 16 + lo);
        if (decoded == '/' || decoded == '.' || decoded == '%')
            return refuse("the path has a percent-encoded '/', '.' or '%'");
        path += decoded;
        i += 2;
    }
    if (const char* problem = decoded_path_problem(path)) return refuse(std::string("the path has ") + problem);
    return CanonicalPath{true, std::move(path), {}};
}

}  // namespace aks::proxy
