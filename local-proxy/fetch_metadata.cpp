#include "local-proxy/fetch_metadata.h"

#include "local-proxy/header_rules.h"

namespace aks::proxy {

std::optional<std::string> fetch_site_refusal(const http::fields& f) {
    // Beast has no enumerator for it: look it up by name (case-insensitive).
    constexpr const char* kName = "Sec-Fetch-Site";
    const std::size_t n = f.count(kName);
    if (n == 0) return std::nullopt;
    if (n > 1) return std::string("more than one Sec-Fetch-Site header field");
    const auto v = f[kName];
    const std::string_view site = trim_ows(std::string_view(v.data(), v.size()));
    // Structured-field tokens, case-sensitive (RFC 8941); browsers send these four.
    if (site == "same-origin" || site == "none") return std::nullopt;
    if (site == "cross-site" || site == "same-site")
        return "requests started by a web page on another site or port (Sec-Fetch-Site: " + std::string(site) +
               ") are refused; open the URL directly";
    return std::string("an unknown Sec-Fetch-Site value is refused");
}

}  // namespace aks::proxy
