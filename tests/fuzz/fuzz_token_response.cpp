// Token endpoint answers (Entra, IMDS, any OIDC provider), success and error:
//  - parse_token_response returns a Token with an access token and an expiry,
//    or throws AuthError; a returned token survives the cache file unchanged
//    (serialise, parse back, same fields);
//  - parse_oauth_error reads the same bytes as an error answer, and the line
//    describe_oauth_error makes of it is one line without control characters,
//    of bounded length, that never quotes the body beyond its description.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/errors.h"
#include "core/oauth_error.h"
#include "core/token_cache.h"
#include "core/token_response.h"
#include "core/terminal_text.h"

namespace {

// One line without control characters: terminal_line leaves it as it is.
bool clean_line(const std::string& s) { return aks::terminal_line(s, s.size()) == s; }

void check_success(const std::string& body) {
    aks::Token t;
    try {
        t = aks::parse_token_response(body, 1'700'000'000);
    } catch (const aks::AuthError& e) {
        if (!clean_line(e.what())) std::abort();
        return;  // refused with a message: the expected outcome for bad input
    }
    if (t.access_token.empty() || t.expires_on <= 0) std::abort();
    aks::LoginSettings s;
    s.tenant_id = "t";
    const auto back = aks::parse_cache_entry(aks::serialize_cache_entry(s, t));
    if (!back) std::abort();
    const aks::Token& b = back->token;
    if (b.access_token != t.access_token || b.refresh_token != t.refresh_token || b.expires_on != t.expires_on ||
        b.token_type != t.token_type || b.claims.oid != t.claims.oid || b.claims.upn != t.claims.upn)
        std::abort();
}

void check_error(const std::string& body) {
    const auto e = aks::parse_oauth_error(body);
    if (!e) return;
    const std::string line = aks::describe_oauth_error("refreshing the token failed", *e);
    if (!clean_line(line)) std::abort();
    // what + error (64) + code + description (200) + advice + trace id (64)
    if (line.size() > 1024) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body(reinterpret_cast<const char*>(data), size);
    check_success(body);
    check_error(body);
    return 0;
}
