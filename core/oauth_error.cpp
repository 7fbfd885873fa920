#include "core/oauth_error.h"

#include <picojson.h>

#include <cctype>

#include "core/errors.h"
#include "core/json_number.h"
#include "core/terminal_text.h"

namespace aks {
namespace {

constexpr std::size_t kMaxDescription = 200;

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(' ');
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

// First number after "AADSTS" in the text, if any.
std::optional<long> aadsts_in(const std::string& text) {
    for (auto pos = text.find("AADSTS"); pos != std::string::npos; pos = text.find("AADSTS", pos + 1)) {
        std::size_t i = pos + 6, digits = 0;
        long code = 0;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && digits < 9) {
            code = code * 10 + (text[i] - '0');
            ++i;
            ++digits;
        }
        if (digits > 0) return code;
    }
    return std::nullopt;
}

// "AADSTS50076: Due to ... location, you must use MFA.\r\nTrace ID: ..." →
// "Due to ... location, you must use MFA" (the code is shown separately).
std::string summarize_description(const std::string& description) {
    std::string d = description;
    if (const auto eol = d.find_first_of("\r\n"); eol != std::string::npos) d.resize(eol);
    d = trim(terminal_line(d, d.size()));
    if (d.rfind("AADSTS", 0) == 0) {
        std::size_t i = 6;
        while (i < d.size() && std::isdigit(static_cast<unsigned char>(d[i]))) ++i;
        if (i < d.size() && d[i] == ':') d = trim(d.substr(i + 1));
    }
    if (const auto stop = d.find(". "); stop != std::string::npos) d.resize(stop);
    while (!d.empty() && (d.back() == '.' || d.back() == ' ')) d.pop_back();
    return terminal_line(d, kMaxDescription);
}

// What to do about the AADSTS codes AKS users meet most, from Microsoft's
// published table (MicrosoftDocs/entra-docs, docs/identity-platform/
// reference-error-codes.md). One table: describe_oauth_error shows the advice
// of the first listed code it knows, without -v; other codes still show
// their number and Entra's description.
struct AadstsAdvice {
    long codes[4];  // 0-terminated when fewer
    const char* advice;
};

const AadstsAdvice kAdvice[] = {
    // Sign-in needed again.
    {{50076, 50079, 50078, 50074},
     "multi-factor authentication is required: sign in again interactively with 'aks-token login'"},
    {{50072, 53004, 0}, "register for multi-factor authentication (https://aka.ms/mfasetup), then sign in again"},
    {{70043, 0}, "Conditional Access sign-in frequency reached: sign in again with 'aks-token login'"},
    {{700082, 70008, 50173, 50089},
     "the refresh token expired or was revoked: sign in again with 'aks-token login'"},
    {{50132, 50133, 0}, "the session ended after a password change: sign in again with 'aks-token login'"},
    {{50058, 0}, "nobody is signed in: sign in with 'aks-token login'"},
    // Conditional Access and account state.
    {{53000, 0}, "Conditional Access requires a compliant device: enroll this device (e.g. in Intune) or ask your admin"},
    {{53001, 0}, "Conditional Access requires a domain-joined device: use one, or ask your admin"},
    {{53003, 530032, 530035, 50131},
     "blocked by Conditional Access: ask your admin which policy applies (location, device, sign-in risk)"},
    {{50053, 0}, "the account is locked after too many failed sign-ins, or the sign-in came from a blocked IP"},
    {{50055, 50144, 0}, "the password has expired: change it, then sign in again"},
    {{50057, 0}, "the user account is disabled: ask your admin"},
    {{50126, 0}, "wrong username or password (accounts with MFA or federated sign-in cannot use --login ropc)"},
    {{50034, 50020, 90072, 0},
     "this account is not in the tenant: check --tenant-id, or ask the tenant's admin to add it as a guest"},
    {{50105, 0}, "you are not assigned to the application: ask your admin to assign you"},
    // Consent and registrations.
    {{65001, 90094, 0}, "consent is missing: an admin must grant consent to the application for the tenant"},
    {{65004, 0}, "consent was declined: sign in again and accept the permissions"},
    {{700016, 70001, 7000112, 700011},
     "the application was not found or is disabled in the tenant: check --client-id and --tenant-id"},
    {{500011, 650057, 0},
     "the server application was not found in the tenant: check --server-id (AKS: 6dae42f8-4368-4678-94ff-3960e28e3630) "
     "and --tenant-id"},
    {{90002, 50059, 90019, 0}, "the tenant was not found: check --tenant-id"},
    {{50011, 0},
     "the redirect URL is not registered for the application: register http://localhost or pass --redirect-url"},
    // Service principals and workload identity.
    {{7000215, 0}, "the client secret is invalid: use the secret's value, not its ID"},
    {{7000222, 0}, "the client secret has expired: create a new client secret"},
    {{7000218, 0}, "no credential was sent: give --client-secret or --client-certificate"},
    {{700027, 50012, 0},
     "the certificate is not registered on the application: upload it under Certificates & secrets"},
    {{700024, 500133, 0},
     "the client assertion is not within its valid time range: check this machine's clock, or the federated "
     "token's age"},
    {{700213, 70021, 0},
     "the federated credential does not match: check the federated identity credential's issuer and subject"},
    // Device code.
    {{70019, 70020, 0}, "the device code expired: run the command again and enter the code sooner"},
    {{70018, 0}, "the code was mistyped: run the command again"},
    // Busy or looping.
    {{50196, 0}, "too many identical requests (a client loop?): wait a minute, then try again"},
};

}  // namespace

std::optional<OAuthError> parse_oauth_error(const std::string& body) {
    const auto parsed = parse_json(body);
    if (!parsed || !parsed->is<picojson::object>()) return std::nullopt;
    const picojson::value& v = *parsed;
    const auto& object = v.get<picojson::object>();
    const auto error = object.find("error");
    if (error == object.end() || !error->second.is<std::string>()) return std::nullopt;

    OAuthError e;
    e.error = error->second.get<std::string>();
    e.error_description = json_string_field(v, "error_description");
    e.trace_id = json_string_field(v, "trace_id");
    e.correlation_id = json_string_field(v, "correlation_id");
    if (const auto codes = object.find("error_codes"); codes != object.end() && codes->second.is<picojson::array>()) {
        for (const auto& c : codes->second.get<picojson::array>()) {
            if (auto n = json_int(c)) e.error_codes.push_back(static_cast<long>(*n));
        }
    }
    if (e.error_codes.empty()) {
        if (auto code = aadsts_in(e.error_description)) e.error_codes.push_back(*code);
    }
    return e;
}

std::string aadsts_advice(long code) {
    for (const AadstsAdvice& a : kAdvice) {
        for (long c : a.codes) {
            if (c == code) return a.advice;
            if (c == 0) break;
        }
    }
    return {};
}

std::string describe_oauth_error(const std::string& what, const OAuthError& e) {
    const std::string error = terminal_line(e.error, 64);
    std::string out = what + ": ";
    if (!e.error_codes.empty()) out += "AADSTS" + std::to_string(e.error_codes.front()) + " (" + error + ")";
    else out += error;
    if (const auto d = summarize_description(e.error_description); !d.empty()) out += ": " + d;
    for (long code : e.error_codes) {
        if (auto advice = aadsts_advice(code); !advice.empty()) {
            out += ". Advice: " + advice;
            break;
        }
    }
    if (!e.trace_id.empty()) out += " (trace id " + terminal_line(e.trace_id, 64) + ")";
    return out;
}

bool is_dead_grant(const OAuthError& e) {
    for (const char* dead : {"invalid_grant", "interaction_required", "login_required", "consent_required",
                             "account_selection_required"}) {
        if (e.error == dead) return true;
    }
    return false;
}

void throw_oauth_error(const std::string& what, const OAuthError& e) {
    if (is_dead_grant(e)) throw GrantRejected(describe_oauth_error(what, e));
    throw AuthError(describe_oauth_error(what, e));
}

}  // namespace aks
