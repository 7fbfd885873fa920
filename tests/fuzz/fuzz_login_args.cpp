// The login-flag parser (parse_login_args, kubelogin's flags): the input is
// split at NUL bytes into argv words. The parse either refuses with a
// UsageError or gives settings whose key is 64 hex digits. Secrets
// (--password, --client-secret, --client-certificate-password) never appear
// in the error message, the cache key or the `aks-token login ...` guidance.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/login_args.h"
#include "credential-plugin/cli_options.h"

namespace {

constexpr const char* kMarker = "Zq9SecretMarker";

bool is_secret_flag(const std::string& flag) {
    return flag == "--password" || flag == "--client-secret" || flag == "--client-certificate-password";
}

// Gives every secret flag ("--password X" or "--password=X") a marker value
// that no fixed message contains, and returns the markers.
std::vector<std::string> mark_secrets(std::vector<std::string>& args) {
    std::vector<std::string> markers;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string marker = kMarker + std::to_string(markers.size());
        const auto eq = args[i].find('=');
        if (eq != std::string::npos && is_secret_flag(args[i].substr(0, eq))) {
            args[i] = args[i].substr(0, eq + 1) + marker;
            markers.push_back(marker);
        } else if (is_secret_flag(args[i]) && i + 1 < args.size()) {
            args[++i] = marker;
            markers.push_back(marker);
        }
    }
    return markers;
}

bool leaks(const std::string& text, const std::vector<std::string>& secrets) {
    for (const auto& s : secrets)
        if (text.find(s) != std::string::npos) return true;
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::string> args(1);
    for (std::size_t i = 0; i < size && args.size() <= 64; ++i) {
        if (data[i] == 0) args.emplace_back();
        else args.back().push_back(static_cast<char>(data[i]));
    }
    // A marker the input already holds outside a secret (libFuzzer learns
    // the constant) would be echoed legitimately as that other word.
    for (const auto& a : args)
        if (a.find(kMarker) != std::string::npos) return 0;
    const bool allow_unknown = size > 0 && (data[0] & 1);
    const std::vector<std::string> secrets = mark_secrets(args);
    const aks::EnvLookup env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    try {
        const aks::ParsedLoginArgs parsed = aks::parse_login_args(args, env, allow_unknown);
        const std::string hash = parsed.settings.key_hash();
        if (hash.size() != 64 || hash.find_first_not_of("0123456789abcdef") != std::string::npos) std::abort();
        if (leaks(parsed.settings.canonical_key(), secrets)) std::abort();
        std::string guidance;
        try {
            guidance = aks::login_command_line(parsed.settings, env);
        } catch (const std::exception&) {
            // no home directory for the default cache: nothing to print
        }
        if (leaks(guidance, secrets)) std::abort();
    } catch (const aks::UsageError& e) {
        if (leaks(e.what(), secrets)) std::abort();
    }
    return 0;
}
