#include "core/redact.h"

#include <cctype>

namespace aks {
namespace {

// The characters of JWTs, base64url, Entra client secrets and refresh tokens.
// '/' and '=' end a run: they separate path segments (a resource id mixes
// cases and digits too) and flag names from values.
bool token_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '+' || c == '.' || c == '~';
}

// A run of token characters that is secret-looking: long, and mixing cases
// and digits as random base64 does.
bool looks_like_secret(std::string_view run) {
    if (run.size() < 32) return false;
    if (run.rfind("eyJ", 0) == 0) return true;  // a JWT's header, whatever follows
    bool upper = false, lower = false, digit = false;
    for (char c : run) {
        upper |= std::isupper(static_cast<unsigned char>(c)) != 0;
        lower |= std::islower(static_cast<unsigned char>(c)) != 0;
        digit |= std::isdigit(static_cast<unsigned char>(c)) != 0;
    }
    return upper && lower && digit;
}

// JWT: "eyJ" + base64url, '.', base64url, '.', base64url (signature may be empty).
bool looks_like_jwt(std::string_view run) {
    if (run.rfind("eyJ", 0) != 0) return false;
    const std::size_t dot1 = run.find('.');
    if (dot1 == std::string_view::npos) return false;
    return run.find('.', dot1 + 1) != std::string_view::npos;
}

std::string_view flag_name(std::string_view arg) {
    if (arg.size() < 2 || arg[0] != '-') return {};
    arg.remove_prefix(arg[1] == '-' ? 2 : 1);
    return arg.substr(0, arg.find('='));
}

}  // namespace

bool is_secret_flag(std::string_view flag) {
    const std::string_view name = flag_name(flag);
    return name.find("secret") != std::string_view::npos || name.find("password") != std::string_view::npos;
}

std::string redact_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (!token_char(text[i])) {
            out += text[i++];
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && token_char(text[end])) ++end;
        const std::string_view run = text.substr(i, end - i);
        out += (looks_like_jwt(run) || looks_like_secret(run)) ? std::string_view(kRedacted) : run;
        i = end;
    }
    return out;
}

std::vector<std::string> redact_args(const std::vector<std::string>& args) {
    std::vector<std::string> out;
    out.reserve(args.size());
    bool value_is_secret = false;  // the previous argument was a secret flag without '='
    for (const std::string& a : args) {
        if (value_is_secret) {
            out.emplace_back(kRedacted);
            value_is_secret = false;
            continue;
        }
        if (is_secret_flag(a)) {
            const std::size_t eq = a.find('=');
            if (eq == std::string::npos) {
                out.push_back(a);
                value_is_secret = true;
            } else {
                out.push_back(a.substr(0, eq + 1) + kRedacted);
            }
            continue;
        }
        out.push_back(redact_text(a));
    }
    return out;
}

std::string redacted_command_line(const std::vector<std::string>& args) {
    std::string line;
    for (const std::string& a : redact_args(args)) {
        if (!line.empty()) line += ' ';
        line += a;
    }
    return line;
}

}  // namespace aks
