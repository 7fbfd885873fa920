#include "local-proxy/header_rules.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace aks::proxy {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// Comma-separated list elements of a header value, trimmed, empties dropped.
std::vector<std::string> list_elements(std::string_view v) {
    std::vector<std::string> out;
    while (!v.empty()) {
        const std::size_t comma = v.find(',');
        std::string_view item = trim_ows(v.substr(0, comma));
        if (!item.empty()) out.emplace_back(item);
        if (comma == std::string_view::npos) break;
        v.remove_prefix(comma + 1);
    }
    return out;
}

std::string_view sv(boost::beast::string_view s) { return {s.data(), s.size()}; }

bool list_has(const http::fields& f, http::field name, std::string_view token) {
    for (auto it = f.find(name); it != f.end() && it->name() == name; ++it)
        for (const std::string& e : list_elements(sv(it->value())))
            if (iequals(e, token)) return true;
    return false;
}

}  // namespace

std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool is_hop_by_hop(std::string_view name) {
    static const char* const kHopByHop[] = {"connection", "keep-alive", "proxy-connection",
                                           "proxy-authenticate", "proxy-authorization", "te",
                                           "trailer", "transfer-encoding", "upgrade"};
    return std::any_of(std::begin(kHopByHop), std::end(kHopByHop),
                       [&](const char* h) { return iequals(name, h); });
}

bool connection_may_name(std::string_view name) {
    static const char* const kNever[] = {"content-length", "transfer-encoding", "host", "authorization"};
    return std::none_of(std::begin(kNever), std::end(kNever), [&](const char* h) { return iequals(name, h); });
}

bool is_upgrade_request(const http::fields& f) {
    return list_has(f, http::field::connection, "upgrade") && f.count(http::field::upgrade) > 0;
}

void strip_hop_by_hop(http::fields& f, bool keep_upgrade) {
    // Headers named by Connection are hop-by-hop too (RFC 9110 7.6.1).
    std::vector<std::string> named;
    for (auto it = f.find(http::field::connection); it != f.end() && it->name() == http::field::connection; ++it)
        for (std::string& e : list_elements(sv(it->value())))
            if (connection_may_name(e)) named.push_back(std::move(e));
    std::string upgrade;
    if (keep_upgrade) {
        for (auto it = f.find(http::field::upgrade); it != f.end() && it->name() == http::field::upgrade; ++it)
            upgrade += (upgrade.empty() ? "" : ", ") + std::string(sv(it->value()));
    }
    for (auto it = f.begin(); it != f.end();) {
        const std::string_view name = sv(it->name_string());
        const bool drop = is_hop_by_hop(name) ||
                          std::any_of(named.begin(), named.end(), [&](const std::string& n) { return iequals(n, name); });
        it = drop ? f.erase(it) : std::next(it);
    }
    if (keep_upgrade && !upgrade.empty()) {
        f.set(http::field::connection, "Upgrade");
        f.set(http::field::upgrade, upgrade);
    }
}

void rewrite_request_headers(http::fields& f, const std::string& upstream_host, const std::string& authorization,
                             bool upgrade) {
    strip_hop_by_hop(f, upgrade);
    f.erase(http::field::expect);
    f.set(http::field::host, upstream_host);
    // Replaced, never appended: whatever the client sent does not reach the API server.
    f.erase(http::field::authorization);
    f.set(http::field::authorization, authorization);
}

std::optional<std::string> framing_error(const http::fields& f, unsigned version) {
    for (auto it = f.find(http::field::connection); it != f.end() && it->name() == http::field::connection; ++it)
        for (const std::string& e : list_elements(sv(it->value())))
            if (!connection_may_name(e)) return "Connection must not name " + e;
    const std::size_t te_count = f.count(http::field::transfer_encoding);
    const std::size_t cl_count = f.count(http::field::content_length);
    if (te_count > 0 && cl_count > 0) return "both Content-Length and Transfer-Encoding";
    std::vector<std::string> lengths;
    for (auto it = f.find(http::field::content_length); it != f.end() && it->name() == http::field::content_length;
         ++it) {
        std::vector<std::string> values = list_elements(sv(it->value()));
        if (values.empty()) return "malformed Content-Length";
        for (std::string& v : values) lengths.push_back(std::move(v));
    }
    for (const std::string& v : lengths)
        if (!std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }) || v.size() > 18)
            return "malformed Content-Length";
    if (lengths.size() > 1) {
        const bool same = std::all_of(lengths.begin(), lengths.end(), [&](const std::string& v) { return v == lengths[0]; });
        return same ? "repeated Content-Length" : "conflicting Content-Length values";
    }
    if (te_count > 0) {
        if (version < 11) return "Transfer-Encoding in an HTTP/1.0 request";
        std::vector<std::string> codings;
        for (auto it = f.find(http::field::transfer_encoding);
             it != f.end() && it->name() == http::field::transfer_encoding; ++it)
            for (std::string& e : list_elements(sv(it->value()))) codings.push_back(std::move(e));
        if (codings.empty() || !iequals(codings.back(), "chunked")) return "Transfer-Encoding must end in chunked";
        if (codings.size() > 1) return "unsupported Transfer-Encoding";
    }
    return std::nullopt;
}

std::string host_without_port(std::string_view host) {
    host = trim_ows(host);
    if (!host.empty() && host.front() == '[') {
        const std::size_t close = host.find(']');
        return std::string(close == std::string_view::npos ? host : host.substr(0, close + 1));
    }
    const std::size_t colon = host.find(':');
    // More than one colon: a bare IPv6 address, not host:port.
    if (colon != std::string_view::npos && host.find(':', colon + 1) == std::string_view::npos)
        return std::string(host.substr(0, colon));
    return std::string(host);
}

bool origin_allowed(const std::optional<std::string>& origin, std::string_view host_header) {
    if (!origin) return true;
    host_header = trim_ows(host_header);
    if (host_header.empty()) return false;
    return iequals(trim_ows(*origin), "http://" + std::string(host_header));
}

}  // namespace aks::proxy
