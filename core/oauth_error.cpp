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
    switch (code) {
        case 50076:
        case 50079:
            return "multi-factor authentication is required: sign in interactively with 'aks-token login'";
        case 53000:
        case 53003:
            return "blocked by conditional access: use a compliant device or ask your admin";
        case 65001:
            return "consent is missing: an admin must consent to the application for the tenant";
        case 70043:
        case 700082:
        case 50173:
            return "the refresh token expired or was revoked: sign in again with 'aks-token login'";
        case 7000215:
        case 7000222:
            return "the client secret is invalid or expired: create a new secret";
        case 700016:
            return "the application was not found in the tenant: check --client-id and --tenant-id";
        case 50126:
            return "wrong username or password (accounts with MFA or federated sign-in cannot use --login ropc)";
        case 700027:
            return "the certificate is not registered on the application: upload it under Certificates & secrets";
        case 700024:
            return "the client assertion has expired or is not yet valid: check the clock, or the federated token's age";
        case 90002:
            return "the tenant was not found: check --tenant-id";
        case 700213:
        case 70021:
            return "the federated credential does not match: check the federated identity credential's issuer and subject";
        default:
            return {};
    }
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

void throw_idp_error(const std::string& what, int status, const std::string& body) {
    const auto e = parse_oauth_error(body);
    if (status >= 500) {
        if (e) throw TransportError(describe_oauth_error(what, *e) + " [HTTP " + std::to_string(status) + "]");
        throw TransportError(what + ": identity provider returned HTTP " + std::to_string(status));
    }
    if (e) throw AuthError(describe_oauth_error(what, *e));
    throw AuthError(what + ": identity provider returned HTTP " + std::to_string(status) +
                    " without an OAuth error");
}

}  // namespace aks
