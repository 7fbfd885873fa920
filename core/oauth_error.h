#pragma once
#include <optional>
#include <string>
#include <vector>

namespace aks {

struct OAuthError {
    std::string error;              // e.g. authorization_pending, invalid_grant
    std::string error_description;  // "AADSTS50076: ..." (may contain user-visible text, never tokens)
    std::vector<long> error_codes;  // from error_codes, else parsed from "AADSTSnnnn"
    std::string trace_id;
    std::string correlation_id;
};

// nullopt when the body is not a JSON object with an "error" string.
std::optional<OAuthError> parse_oauth_error(const std::string& body);

// One line of advice for a known AADSTS code, empty when unknown.
std::string aadsts_advice(long code);

// One-line user-facing message: what failed, AADSTS code, advice, trace id.
std::string describe_oauth_error(const std::string& what, const OAuthError& e);

// Throws for an unsuccessful identity provider response: TransportError for
// HTTP 5xx (the provider is unavailable; worth trying later), AuthError
// otherwise. Uses the OAuth error when the body is one, else only the status
// (the body is never echoed).
[[noreturn]] void throw_idp_error(const std::string& what, int status, const std::string& body);

}  // namespace aks
