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

// invalid_grant (RFC 6749 §5.2), interaction_required, login_required,
// consent_required, account_selection_required (OpenID Connect Core
// §3.1.2.6): the grant is dead, only a new sign-in helps.
bool is_dead_grant(const OAuthError& e);

// Throws the OAuth error an identity provider answered with, as one line
// (describe_oauth_error): GrantRejected when the grant is dead, AuthError
// otherwise. Transient answers never get here (HttpClient retries them and
// throws TransportError).
[[noreturn]] void throw_oauth_error(const std::string& what, const OAuthError& e);

}  // namespace aks
