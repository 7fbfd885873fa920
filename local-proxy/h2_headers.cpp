#include "local-proxy/h2_headers.h"

#include <boost/beast/http/status.hpp>

#include <algorithm>

#include "local-proxy/header_rules.h"

namespace aks::proxy {
namespace {

std::string_view sv(boost::beast::string_view s) { return {s.data(), s.size()}; }

// ASCII only, and no locale lookup: header names are tokens.
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return lower(x) == lower(y);
           });
}

// Connection-specific fields (RFC 9113 8.2.2); TE is handled apart.
bool connection_specific(std::string_view name) {
    for (const char* h : {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"})
        if (iequals(name, h)) return true;
    return false;
}

// Go's CanonicalMIMEHeaderKey: upper case first and after each '-'.
void append_canonical(std::string& out, std::string_view name) {
    bool start = true;
    for (char c : name) {
        out += start ? upper(c) : lower(c);
        start = c == '-';
    }
}

}  // namespace

bool te_has_trailers(const http::fields& request) {
    for (auto it = request.find(http::field::te); it != request.end() && it->name() == http::field::te; ++it) {
        std::string_view v = sv(it->value());
        while (!v.empty()) {
            const std::size_t comma = v.find(',');
            std::string_view item = trim_ows(v.substr(0, comma));
            item = trim_ows(item.substr(0, item.find(';')));  // any parameter is not ours to judge
            if (iequals(item, "trailers")) return true;
            if (comma == std::string_view::npos) break;
            v.remove_prefix(comma + 1);
        }
    }
    return false;
}

std::vector<H2Field> h2_request_fields(const http::fields& request, std::string_view method, std::string_view target,
                                       bool te_trailers, std::string& names) {
    std::vector<H2Field> out;
    std::size_t count = 0, name_bytes = 0;
    for (const auto& f : request) {
        ++count;
        name_bytes += f.name_string().size();
    }
    out.reserve(count + 8);
    // Lower-cased names land here; reserved so that views into it stay put.
    names.clear();
    names.reserve(name_bytes);
    auto lower_name = [&](std::string_view name) -> std::string_view {
        if (std::none_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) return name;
        const std::size_t at = names.size();
        for (char c : name) names += lower(c);
        return std::string_view(names).substr(at, name.size());
    };
    auto host = request.find(http::field::host);
    out.emplace_back(":method", method);
    out.emplace_back(":scheme", "https");
    out.emplace_back(":authority", host == request.end() ? std::string_view() : sv(host->value()));
    out.emplace_back(":path", target);
    for (const auto& f : request) {
        const std::string_view name = sv(f.name_string());
        if (f.name() == http::field::host || f.name() == http::field::te || connection_specific(name)) continue;
        if (f.name() == http::field::cookie) {
            // One field per cookie-pair (RFC 9113 8.2.3), as Go's EncodeHeaders splits them.
            std::string_view v = sv(f.value());
            while (!v.empty()) {
                const std::size_t semi = v.find(';');
                const std::string_view pair = trim_ows(v.substr(0, semi));
                if (!pair.empty()) out.emplace_back("cookie", pair);
                if (semi == std::string_view::npos) break;
                v.remove_prefix(semi + 1);
            }
            continue;
        }
        out.emplace_back(lower_name(name), sv(f.value()));
    }
    if (te_trailers) out.emplace_back("te", "trailers");
    return out;
}

std::optional<std::uint64_t> h2_content_length(const std::vector<H2Field>& fields) {
    for (const H2Field& f : fields) {
        if (f.first != "content-length") continue;
        std::uint64_t n = 0;
        if (f.second.empty() || f.second.size() > 18) return std::nullopt;
        for (char c : f.second) {
            if (c < '0' || c > '9') return std::nullopt;
            n = n * 10 + static_cast<std::uint64_t>(c - '0');
        }
        return n;
    }
    return std::nullopt;
}

std::string http1_response_head(int status, const std::vector<H2Field>& fields, BodyFraming framing, bool keep_alive,
                                bool http10_client) {
    std::string head;
    std::size_t size = 64;
    for (const H2Field& f : fields) size += f.first.size() + f.second.size() + 4;
    head.reserve(size);
    head += "HTTP/1.1 ";
    head += std::to_string(status);
    head += ' ';
    const auto reason = http::obsolete_reason(static_cast<http::status>(status));
    head.append(reason.data(), reason.size());
    head += "\r\n";
    for (const H2Field& f : fields) {
        if (f.first.empty() || f.first[0] == ':' || connection_specific(f.first) || f.first == "te") continue;
        // Framing is ours to state when the length is not the server's.
        if (f.first == "content-length" && framing != BodyFraming::length && framing != BodyFraming::none) continue;
        append_canonical(head, f.first);
        head += ": ";
        head += f.second;
        head += "\r\n";
    }
    switch (framing) {
    case BodyFraming::empty:
        head += "Content-Length: 0\r\n";
        break;
    case BodyFraming::chunked:
        head += "Transfer-Encoding: chunked\r\n";
        break;
    default:
        break;
    }
    if (!keep_alive)
        head += "Connection: close\r\n";
    else if (http10_client)
        head += "Connection: keep-alive\r\n";
    head += "\r\n";
    return head;
}

}  // namespace aks::proxy
