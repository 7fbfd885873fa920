// Token endpoint JSON (Entra, IMDS, any OIDC provider): parse_token_response
// either returns a Token with a non-empty access token and an expiry, or
// throws AuthError; nothing else escapes, and nothing crashes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/errors.h"
#include "core/token_response.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body(reinterpret_cast<const char*>(data), size);
    try {
        const aks::Token t = aks::parse_token_response(body, 1'700'000'000);
        if (t.access_token.empty()) std::abort();  // success must carry a token
    } catch (const aks::AuthError&) {
        // refused with a message: the expected outcome for bad input
    }
    return 0;
}
