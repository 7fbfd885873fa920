#include "local-proxy/cookie_header.h"

#include "local-proxy/header_rules.h"

namespace aks::proxy {

std::vector<CookiePair> cookie_pairs(std::string_view header) {
    std::vector<CookiePair> out;
    while (!header.empty()) {
        const std::size_t semi = header.find(';');
        const std::string_view pair = trim_ows(header.substr(0, semi));
        header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
        if (pair.empty()) continue;
        const std::size_t eq = pair.find('=');
        out.push_back({pair, trim_ows(pair.substr(0, eq)),
                       eq == std::string_view::npos ? std::string_view{} : trim_ows(pair.substr(eq + 1))});
    }
    return out;
}

}  // namespace aks::proxy
