#include "local-proxy/request_filter.h"

#include <algorithm>

#include "core/errors.h"

namespace aks::proxy {
namespace {

std::vector<std::regex> compile(const std::string& list, const char* flag) {
    std::vector<std::regex> out;
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t comma = list.find(',', start);
        if (comma == std::string::npos) comma = list.size();
        const std::string expr = list.substr(start, comma - start);
        if (!expr.empty()) {
            try {
                out.emplace_back(expr, std::regex::ECMAScript | std::regex::optimize);
            } catch (const std::regex_error&) {
                throw UsageError(std::string(flag) + ": '" + expr + "' is not a valid regular expression");
            }
        }
        start = comma + 1;
    }
    return out;
}

// Like Go's regexp.MatchString: a match anywhere unless the expression anchors itself.
bool any_match(const std::vector<std::regex>& res, const std::string& s) {
    return std::any_of(res.begin(), res.end(), [&](const std::regex& re) { return std::regex_search(s, re); });
}

}  // namespace

RequestFilter::RequestFilter(const FilterSpec& spec)
    : accept_hosts_(compile(spec.accept_hosts, "--accept-hosts")),
      accept_paths_(compile(spec.accept_paths, "--accept-paths")),
      reject_paths_(compile(spec.reject_paths, "--reject-paths")),
      reject_methods_(compile(spec.reject_methods, "--reject-methods")) {}

bool RequestFilter::host_accepted(const std::string& host) const { return any_match(accept_hosts_, host); }

FilterVerdict RequestFilter::check(const std::string& method, const std::string& path, const std::string& host) const {
    if (!host_accepted(host)) return FilterVerdict::RejectHost;
    if (any_match(reject_paths_, path)) return FilterVerdict::RejectPath;
    if (any_match(reject_methods_, method)) return FilterVerdict::RejectMethod;
    if (!any_match(accept_paths_, path)) return FilterVerdict::RejectPath;
    return FilterVerdict::Accept;
}

}  // namespace aks::proxy

namespace aks::proxy {

std::optional<std::string> decoded_path(std::string_view target) {
    if (target.empty() || target.front() != '/') return std::nullopt;
    std::string_view raw = target.substr(0, target.find('?'));
    std::string path;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '%') {
            auto hex = [](char h) -> int {
                if (h >= '0' && h <= '9') return h - '0';
                if (h >= 'a' && h <= 'f') return h - 'a' + 10;
                if (h >= 'A' && h <= 'F') return h - 'A' + 10;
                return -1;
            };
            if (i + 2 >= raw.size()) return std::nullopt;
            const int hi = hex(raw[i + 1]), lo = hex(raw[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            c = static_cast<char>(hi * 16 + lo);
            i += 2;
        }
        if (c == '\0') return std::nullopt;
        path += c;
    }
    // Dot segments would let "/api/x/../v1/namespaces/a/pods/b/exec" slip past the path rules.
    std::size_t start = 0;
    while (start < path.size()) {
        std::size_t slash = path.find('/', start + 1);
        if (slash == std::string::npos) slash = path.size();
        const std::string_view seg(path.data() + start + 1, slash - start - 1);
        if (seg == "." || seg == "..") return std::nullopt;
        start = slash;
    }
    return path;
}

bool is_long_lived(std::string_view target) {
    const std::size_t q = target.find('?');
    if (q == std::string_view::npos) return false;
    std::string_view query = target.substr(q + 1);
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view kv = query.substr(0, amp);
        for (const char* name : {"watch=", "follow="}) {
            const std::string_view n(name);
            if (kv.substr(0, n.size()) == n) {
                const std::string_view v = kv.substr(n.size());
                if (v == "true" || v == "1" || v == "True") return true;
            }
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return false;
}

}  // namespace aks::proxy
