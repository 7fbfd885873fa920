#include "credential-plugin/cli_options.h"

#include <cerrno>
#include <cstdlib>

#include "core/cache_dir.h"
#include "core/cloud.h"
#include "core/errors.h"

namespace aks {

namespace {

int parse_level(const std::string& text) {
    if (text.empty() || text.size() > 3 || text.find_first_not_of("0123456789") != std::string::npos) {
        throw UsageError("-v needs a verbosity level from 0 to 999, e.g. -v 1");
    }
    return std::atoi(text.c_str());
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

}  // namespace

GlobalOptions take_global_options(std::vector<std::string>& args) {
    GlobalOptions g;
    std::vector<std::string> kept;
    kept.reserve(args.size());
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--") {  // everything after stays as it is
            kept.insert(kept.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
            break;
        }
        if (a == "-v" || a == "--v") {
            if (i + 1 >= args.size()) throw UsageError(a + " needs a verbosity level, e.g. " + a + " 1");
            g.verbosity = parse_level(args[++i]);
        } else if (starts_with(a, "-v=") || starts_with(a, "--v=")) {
            g.verbosity = parse_level(a.substr(a.find('=') + 1));
        } else if (starts_with(a, "-v") && a.size() > 2 && a.find_first_not_of("0123456789", 2) == std::string::npos) {
            g.verbosity = parse_level(a.substr(2));
        } else {
            kept.push_back(a);
        }
    }
    args.swap(kept);
    return g;
}

bool wants_help(const std::vector<std::string>& args) {
    for (const auto& a : args) {
        if (a == "--") break;
        if (a == "-h" || a == "--help") return true;
    }
    return false;
}

namespace {

bool take_flag_named(std::vector<std::string>& args, const std::string& long_name) {
    bool found = false;
    for (auto it = args.begin(); it != args.end();) {
        if (*it == long_name) {
            found = true;
            it = args.erase(it);
        } else if (starts_with(*it, long_name + "=")) {
            throw UsageError(long_name + " takes no value");
        } else {
            ++it;
        }
    }
    return found;
}

std::optional<std::string> take_option_named(std::vector<std::string>& args, const std::string& long_name,
                                             const std::string& short_name) {
    std::optional<std::string> value;
    for (std::size_t i = 0; i < args.size();) {
        const std::string& a = args[i];
        const bool long_match = a == long_name;
        const bool short_match = !short_name.empty() && a == short_name;
        if (long_match || short_match) {
            if (i + 1 >= args.size()) throw UsageError(a + " needs a value");
            value = args[i + 1];
            args.erase(args.begin() + static_cast<std::ptrdiff_t>(i), args.begin() + static_cast<std::ptrdiff_t>(i) + 2);
        } else if (starts_with(a, long_name + "=") || (!short_name.empty() && starts_with(a, short_name + "="))) {
            value = a.substr(a.find('=') + 1);
            args.erase(args.begin() + static_cast<std::ptrdiff_t>(i));
        } else {
            ++i;
        }
    }
    return value;
}

}  // namespace

bool take_flag(std::vector<std::string>& args, const OptionDoc& flag) { return take_flag_named(args, "--" + flag.name); }

std::optional<std::string> take_option(std::vector<std::string>& args, const OptionDoc& flag) {
    return take_option_named(args, "--" + flag.name, flag.short_name ? std::string("-") + flag.short_name : "");
}

std::optional<std::string> take_option(std::vector<std::string>& args, const LoginFlagSpec& flag) {
    return take_option_named(args, "--" + std::string(flag.name),
                             flag.short_name ? std::string("-") + flag.short_name : "");
}

std::string shell_quote(const std::string& s) {
    const bool plain = !s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                         "0123456789@%+=:,./_-") == std::string::npos;
    if (plain) return s;
    std::string out = "'";
    for (const char c : s) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    out += '\'';
    return out;
}

std::string login_command_line(const LoginSettings& s, const EnvLookup& env) {
    std::string line = "aks-token login";
    auto add = [&line](const char* flag, const std::string& value) {
        if (value.empty()) return;
        line += ' ';
        line += flag;
        line += ' ';
        line += shell_quote(value);
    };
    add("--login", s.login_mode);
    add("--server-id", s.server_id);
    if (s.client_id != kAksClientId) add("--client-id", s.client_id);
    add("--tenant-id", s.tenant_id);
    add("--environment", s.environment);
    // Name the authority host unless the environment already implies it.
    std::string implied;
    try {
        implied = authority_host_for_environment(s.environment);
    } catch (...) {
    }
    if (s.authority_host != implied) add("--authority-host", s.authority_host);
    add("--username", s.username);
    add("--login-hint", s.login_hint);
    add("--subscription", s.subscription);
    add("--identity-resource-id", s.identity_resource_id);
    add("--identity-object-id", s.identity_object_id);
    add("--client-certificate", s.client_certificate);
    add("--federated-token-file", s.federated_token_file);
    add("--redirect-url", s.redirect_url);
    add("--certificate-authority", s.certificate_authority);
    // The cache must be the one kubectl reads, whatever the shell's KUBECACHEDIR.
    if (!s.cache_dir.empty() || env("KUBECACHEDIR")) add("--cache-dir", resolve_cache_dir(s.cache_dir, env));
    return line;
}

std::string identity_summary(const LoginSettings& s) {
    std::string out = "tenant " + (s.tenant_id.empty() ? std::string("(none)") : s.tenant_id);
    out += ", server id " + s.server_id;
    out += ", " + s.login_mode + " login";
    const std::string hint = s.principal_hint();
    if (!hint.empty()) out += " as " + hint;
    return out;
}

}  // namespace aks
