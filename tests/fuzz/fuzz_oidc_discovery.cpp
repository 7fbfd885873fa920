// OpenID Connect discovery documents (--oidc-issuer-url). The input's first
// line is the issuer, the rest the document. parse_oidc_discovery either
// refuses with an AuthError (one line, no control characters: it is shown on
// a terminal and may quote server text) or returns endpoints with a token
// endpoint, every endpoint on the issuer's scheme.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/errors.h"
#include "core/oidc_discovery.h"
#include "core/terminal_text.h"

namespace {

// One line without control characters: terminal_line leaves it as it is.
bool clean_line(const std::string& s) { return aks::terminal_line(s, s.size()) == s; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const auto nl = input.find('\n');
    std::string issuer = nl == std::string::npos ? "https://issuer.example" : input.substr(0, nl);
    const std::string body = nl == std::string::npos ? input : input.substr(nl + 1);
    // --oidc-issuer-url accepts only https URLs without a trailing slash.
    if (issuer.rfind("https://", 0) != 0) issuer = "https://" + issuer;
    while (!issuer.empty() && issuer.back() == '/') issuer.pop_back();
    if (!clean_line(issuer)) return 0;
    try {
        const aks::IdentityEndpoints e = aks::parse_oidc_discovery(issuer, body);
        if (e.token.empty()) std::abort();
        for (const std::string* url : {&e.token, &e.authorize, &e.device_code})
            if (!url->empty() && url->rfind("https://", 0) != 0) std::abort();
    } catch (const aks::AuthError& e) {
        if (!clean_line(e.what())) std::abort();
    }
    return 0;
}
