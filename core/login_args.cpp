// kubelogin `get-token` flag and environment handling (DESIGN.md
// "Compatibility with Azure/kubelogin"), driven by the flag table. Flags are
// parsed the way pflag does it ("--flag value", "--flag=value", "-l value",
// "-lvalue", "-l=value"); each environment variable either overrides its flag
// (kubelogin's UpdateFromEnv runs after the flags) or fills in what no flag
// gave, as the table says per login mode.
#include "core/login_args.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>

#include "core/cloud.h"
#include "core/errors.h"
#include "core/redirect_url.h"
#include "core/url.h"

namespace aks {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Go's time.ParseDuration subset that makes sense for a timeout ("90s",
// "5m", "1h30m", "1.5h", "500ms"), or a bare number of seconds. Rounded up to
// whole seconds. nullopt for anything else, zero or negative.
std::optional<std::int64_t> parse_timeout(const std::string& text) {
    if (text.empty()) return std::nullopt;
    bool all_digits = true;
    for (char c : text) all_digits = all_digits && is_digit(c);
    if (all_digits) {
        if (text.size() > 12) return std::nullopt;
        const std::int64_t v = std::stoll(text);
        if (v <= 0) return std::nullopt;
        return v;
    }
    static const std::map<std::string, double> kUnitSeconds = {
        {"ns", 1e-9}, {"us", 1e-6}, {"\xC2\xB5s", 1e-6}, {"\xCE\xBCs", 1e-6},
        {"ms", 1e-3}, {"s", 1.0},   {"m", 60.0},          {"h", 3600.0},
    };
    std::size_t i = 0;
    if (text[0] == '+') ++i;
    if (i == text.size()) return std::nullopt;
    long double total = 0;
    while (i < text.size()) {
        const std::size_t num_start = i;
        while (i < text.size() && is_digit(text[i])) ++i;
        bool has_digits = i > num_start;
        if (i < text.size() && text[i] == '.') {
            ++i;
            const std::size_t frac_start = i;
            while (i < text.size() && is_digit(text[i])) ++i;
            has_digits = has_digits || i > frac_start;
        }
        if (!has_digits || i - num_start > 20) return std::nullopt;
        const long double number = std::strtold(text.substr(num_start, i - num_start).c_str(), nullptr);
        const std::size_t unit_start = i;
        while (i < text.size() && !is_digit(text[i]) && text[i] != '.') ++i;
        const auto unit = kUnitSeconds.find(text.substr(unit_start, i - unit_start));
        if (unit == kUnitSeconds.end()) return std::nullopt;
        total += number * unit->second;
    }
    // Go durations stop at about 292 years; anything near that is a typo.
    if (!(total > 0) || total > 1e10) return std::nullopt;
    return static_cast<std::int64_t>(std::ceil(static_cast<double>(total)));
}

// Tenant ids are GUIDs or domain names ("contoso.onmicrosoft.com"); they are
// put into URL paths, so nothing that could change the path is accepted.
bool valid_tenant(const std::string& t) {
    if (t.empty() || t.size() > 256) return false;
    for (char c : t) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '.' ||
                        c == '-' || c == '_';
        if (!ok) return false;
    }
    return true;
}

// An OIDC issuer without the trailing slashes people often add.
std::string trim_issuer(std::string issuer) {
    while (!issuer.empty() && issuer.back() == '/') issuer.pop_back();
    return issuer;
}

// One command-line word split into flag name and inline value: "--name=value",
// "--name", "-n", "-nvalue", "-n=value".
struct FlagWord {
    bool is_long = false;
    std::string name;  // without dashes
    std::optional<std::string> inline_value;
};

FlagWord split_flag_word(const std::string& arg) {
    FlagWord w;
    w.is_long = arg[1] == '-';
    if (w.is_long) {
        const std::size_t eq = arg.find('=');
        w.name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
        if (eq != std::string::npos) w.inline_value = arg.substr(eq + 1);
    } else {
        w.name = arg.substr(1, 1);
        if (arg.size() > 2) w.inline_value = arg.substr(arg[2] == '=' ? 3 : 2);
    }
    return w;
}

// klog's verbosity (-v 4, --v=4) and -h/--help belong to the command.
bool is_verbosity(const FlagWord& w) { return w.name == "v"; }
bool is_help(const FlagWord& w) { return w.is_long ? w.name == "help" : w.name == "h"; }

const LoginFlagSpec& canonical(const LoginFlagSpec& f) {
    return f.alias_of != nullptr ? *find_login_flag(f.alias_of) : f;
}

UsageError refused(const LoginFlagSpec& f) {
    return UsageError(flag_display(f) + " is not supported by aks-token (" + f.help + ")");
}

struct RawFlags {
    std::map<FlagId, std::string> values;  // last occurrence wins, as in pflag
    std::map<FlagId, bool> bools;
    std::optional<std::string> get(FlagId id) const {
        const auto it = values.find(id);
        if (it == values.end() || it->second.empty()) return std::nullopt;  // "" means not given
        return it->second;
    }
    bool given_empty(FlagId id) const {
        const auto it = values.find(id);
        return it != values.end() && it->second.empty();
    }
    bool flag(FlagId id) const {
        const auto it = bools.find(id);
        return it != bools.end() && it->second;
    }
};

RawFlags collect(const std::vector<LoginFlag>& flags) {
    RawFlags raw;
    for (const LoginFlag& f : flags) {
        const FlagId id = canonical(*f.spec).id;
        if (f.is_bool) {
            raw.bools[id] = f.value.empty() || parse_go_bool(f.value).value_or(false);
        } else if (id == FlagId::OidcExtraScope && raw.get(id)) {
            raw.values[id] += "," + f.value;  // repeats (and comma lists), as in int128/kubelogin
        } else {
            raw.values[id] = f.value;
        }
    }
    return raw;
}

struct Resolved {
    std::string value;
    std::string source;  // "--tenant-id" or the environment variable's name
};

// The value get-token uses for `f` in `mode`: an overriding environment
// variable, else the flag, else a fallback variable. Within one kind the
// later name wins, as kubelogin applies them in order.
std::optional<Resolved> resolve(const LoginFlagSpec& f, LoginMode mode, const RawFlags& raw, const EnvLookup& env,
                                bool use_env, bool azurerm) {
    std::optional<Resolved> over, fall;
    if (use_env && env) {
        for (const EnvRule& r : f.env) {
            if (r.modes == 0 || !has_mode(r.modes, mode) || r.precedence == EnvPrecedence::External) continue;
            if ((r.set == EnvSet::Standard && azurerm) || (r.set == EnvSet::AzureRm && !azurerm)) continue;
            for (const char* name : r.names) {
                if (name == nullptr) continue;
                auto v = env(name);
                if (!v || v->empty()) continue;  // an empty variable counts as unset
                (r.precedence == EnvPrecedence::Overrides ? over : fall) = Resolved{*v, name};
            }
        }
    }
    if (over) return over;
    if (auto v = raw.get(f.id)) return Resolved{*v, flag_display(f)};
    return fall;
}

// The settings field a plain string flag fills.
std::string LoginSettings::*field_of(FlagId id) {
    switch (id) {
        case FlagId::ServerId: return &LoginSettings::server_id;
        case FlagId::ClientId: return &LoginSettings::client_id;
        case FlagId::TenantId: return &LoginSettings::tenant_id;
        case FlagId::Environment: return &LoginSettings::environment;
        case FlagId::AuthorityHost: return &LoginSettings::authority_host;
        case FlagId::ClientSecret: return &LoginSettings::client_secret;
        case FlagId::ClientCertificate: return &LoginSettings::client_certificate;
        case FlagId::ClientCertificatePassword: return &LoginSettings::client_certificate_password;
        case FlagId::Username: return &LoginSettings::username;
        case FlagId::Password: return &LoginSettings::password;
        case FlagId::IdentityResourceId: return &LoginSettings::identity_resource_id;
        case FlagId::IdentityObjectId: return &LoginSettings::identity_object_id;
        case FlagId::FederatedTokenFile: return &LoginSettings::federated_token_file;
        case FlagId::Subscription: return &LoginSettings::subscription;
        case FlagId::RedirectUrl: return &LoginSettings::redirect_url;
        case FlagId::LoginHint: return &LoginSettings::login_hint;
        case FlagId::OidcIssuerUrl: return &LoginSettings::oidc_issuer_url;
        case FlagId::CacheDir: return &LoginSettings::cache_dir;
        case FlagId::CertificateAuthority: return &LoginSettings::certificate_authority;
        default: return nullptr;
    }
}

std::string join_or(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        bool seen = false;
        for (std::size_t j = 0; j < i; ++j) seen = seen || names[j] == names[i];
        if (!seen) out += (out.empty() ? "" : " or ") + names[i];
    }
    return out;
}

UsageError missing(const std::vector<const LoginFlagSpec*>& flags, const std::string& mode, LoginCheck check,
                   bool use_env, bool azurerm) {
    std::string names, vars;
    std::vector<std::string> env;
    for (const LoginFlagSpec* f : flags) {
        names += (names.empty() ? "" : " or ") + flag_display(*f);
        for (auto& n : env_names_for(*f, *login_mode_named(mode), azurerm)) env.push_back(n);
    }
    std::string line = names + " is required for --login " + mode;
    if (check == LoginCheck::Conversion) return UsageError(line + ": the entry has none; give " + names);
    if (use_env && !env.empty()) line += " (or set " + join_or(env) + ")";
    return UsageError(line);
}

}  // namespace

std::optional<bool> parse_go_bool(const std::string& v) {
    for (const char* t : {"1", "t", "T", "true", "TRUE", "True"}) {
        if (v == t) return true;
    }
    for (const char* f : {"0", "f", "F", "false", "FALSE", "False"}) {
        if (v == f) return false;
    }
    return std::nullopt;
}

EnvLookup process_env() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        if (v == nullptr) return std::nullopt;
        return std::string(v);
    };
}

void check_login_flag_value(const LoginFlagSpec& f, const std::string& value, const std::string& source) {
    switch (f.id) {
        case FlagId::TenantId:
            if (!valid_tenant(value)) throw UsageError(source + " '" + value + "' is not a tenant id or domain name");
            break;
        case FlagId::Environment: authority_host_for_environment(value); break;
        case FlagId::AuthorityHost: normalize_authority_host(value, source); break;
        case FlagId::Timeout:
            if (!parse_timeout(value))
                throw UsageError(source + " '" + value + "' is not a positive duration such as 60s, 5m or 1h30m");
            break;
        case FlagId::RedirectUrl: check_redirect_url(value); break;
        case FlagId::OidcIssuerUrl: {
            // https only, even on loopback: refresh tokens go to its endpoints.
            // An issuer identifier has no user, query or fragment (OIDC Discovery §2).
            const std::string issuer = trim_issuer(value);
            const auto u = parse_url(issuer);
            if (!u || u->scheme != "https" || issuer.rfind("https://", 0) != 0 ||
                issuer.find_first_of("?#") != std::string::npos)
                throw UsageError(source + " must be an https URL without query or fragment, not '" + issuer + "'");
            break;
        }
        default: break;
    }
}

std::vector<LoginFlag> split_login_flags(const std::vector<std::string>& args, std::vector<std::string>& rest) {
    std::vector<LoginFlag> flags;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--") {
            rest.insert(rest.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
            break;
        }
        if (arg.size() < 2 || arg[0] != '-') {
            rest.push_back(arg);  // positional
            continue;
        }
        const FlagWord w = split_flag_word(arg);
        if (is_verbosity(w)) {
            rest.push_back(arg);
            if (!w.inline_value && i + 1 < args.size() && !args[i + 1].empty() && args[i + 1][0] != '-') {
                rest.push_back(args[++i]);
            }
            continue;
        }
        const LoginFlagSpec* spec = w.is_long ? find_login_flag(w.name) : find_login_flag_short(w.name[0]);
        if (spec == nullptr) {
            rest.push_back(arg);  // -h, unknown flags: the caller decides
            continue;
        }
        LoginFlag f{spec->name, "", spec->kind == ValueKind::Bool, spec};
        if (f.is_bool) {
            if (w.inline_value) {
                const auto b = parse_go_bool(*w.inline_value);
                if (!b) throw UsageError("flag " + flag_display(*spec) + " takes true or false, not '" + *w.inline_value + "'");
                // An explicit "--pop-enabled=false" asks for nothing we lack.
                if (spec->support == Support::Refused && !*b) continue;
                f.value = *w.inline_value;
            }
            if (spec->support == Support::Refused) throw refused(*spec);
            flags.push_back(std::move(f));
            continue;
        }
        if (spec->support == Support::Refused) throw refused(*spec);
        if (w.inline_value) {
            f.value = *w.inline_value;
        } else {
            // A secret may itself start with "--"; any other value may not.
            const bool next_is_flag = i + 1 < args.size() && !spec->secret && args[i + 1].rfind("--", 0) == 0;
            if (i + 1 >= args.size() || next_is_flag) throw UsageError("flag " + flag_display(*spec) + " needs a value");
            f.value = args[++i];
        }
        flags.push_back(std::move(f));
    }
    return flags;
}

ParsedLoginArgs parse_login_args(const std::vector<std::string>& args, const EnvLookup& env, bool allow_unknown,
                                 LoginCheck check) {
    ParsedLoginArgs out;
    const std::vector<LoginFlag> flags = split_login_flags(args, out.rest);
    for (const std::string& a : out.rest) {
        if (a == "--") break;
        if (a.size() < 2 || a[0] != '-') continue;
        const FlagWord w = split_flag_word(a);
        if (is_help(w)) {
            out.help = true;
        } else if (!is_verbosity(w) && !allow_unknown) {
            throw UsageError("unknown flag " + std::string(w.is_long ? "--" : "-") + w.name +
                             " (see aks-token get-token --help)");
        }
    }
    // Help needs no valid identity: stop before anything that can fail.
    if (out.help) return out;

    for (const LoginFlag& f : flags) {
        if (f.spec->scope == Scope::ConvertOnly)
            throw UsageError(flag_display(*f.spec) + " is a convert-kubeconfig flag (it writes " +
                             f.spec->env[0].names[0] + " into the entry's env); get-token reads " +
                             f.spec->env[0].names[0] + " from the environment");
    }
    const RawFlags raw = collect(flags);
    // Every given value is checked, whatever the mode reads.
    for (const auto& [id, value] : raw.values) {
        if (id != FlagId::Login && !value.empty()) check_login_flag_value(login_flag(id), value, flag_display(login_flag(id)));
    }

    const bool use_env = !raw.flag(FlagId::DisableEnvironmentOverride);
    const bool azurerm = raw.flag(FlagId::UseAzureRmEnvVars);
    LoginSettings& s = out.settings;

    const auto mode_given = resolve(login_flag(FlagId::Login), LoginMode::DeviceCode, raw, env, use_env, azurerm);
    if (mode_given) s.login_mode = mode_given->value;
    const auto found_mode = login_mode_named(s.login_mode);
    if (!found_mode) {
        const std::string source = mode_given ? mode_given->source : "--login";
        if (s.login_mode == "azurepipelines") {
            throw UsageError(source + " azurepipelines is not supported by aks-token; use one of: " + login_mode_list());
        }
        throw UsageError(source + " '" + s.login_mode + "' is not a login mode; use one of: " + login_mode_list());
    }
    const LoginMode mode = *found_mode;
    auto reads = [&](FlagId id) { return has_mode(login_flag(id).reads, mode); };

    // An explicitly empty server id is a broken kubeconfig; silently using the
    // AKS default would hide it. (Other empty values mean "not given".)
    if (raw.given_empty(FlagId::ServerId))
        throw UsageError("--server-id is empty; give the AKS server application id (" + std::string(kAksServerId) + ")");
    s.server_id = kAksServerId;

    for (const LoginFlagSpec& f : login_flag_table()) {
        std::string LoginSettings::*field = field_of(f.id);
        if (field == nullptr || f.alias_of != nullptr || !has_mode(f.reads, mode)) continue;
        const auto r = resolve(f, mode, raw, env, use_env, azurerm);
        if (!r) continue;
        if (r->source != flag_display(f)) check_login_flag_value(f, r->value, r->source);
        s.*field = r->value;
    }

    if (!reads(FlagId::AuthorityHost)) {
        s.authority_host = authority_host_for_environment("");  // not this mode's business: a fixed key part
    } else if (!s.authority_host.empty()) {
        s.authority_host = normalize_authority_host(s.authority_host);
    } else {
        s.authority_host = authority_host_for_environment(s.environment);
    }

    // AZURE_CLI_TIMEOUT replaces --timeout when it parses; a bad value is
    // ignored, as kubelogin does.
    if (auto t = raw.get(FlagId::Timeout)) s.timeout_seconds = *parse_timeout(*t);
    if (use_env && env) {
        if (auto e = env("AZURE_CLI_TIMEOUT")) {
            if (auto secs = parse_timeout(*e)) s.timeout_seconds = *secs;
        }
    }
    s.legacy = reads(FlagId::Legacy) && raw.flag(FlagId::Legacy);
    // az reads AZURE_CONFIG_DIR itself, whatever --disable-environment-override says.
    if (reads(FlagId::AzureConfigDir) && env) s.azure_config_dir = env("AZURE_CONFIG_DIR").value_or("");

    if (raw.get(FlagId::OidcIssuerUrl)) {
        if (!reads(FlagId::OidcIssuerUrl))
            throw UsageError("--oidc-issuer-url works with --login devicecode or interactive, not " + s.login_mode);
        s.oidc_issuer_url = trim_issuer(s.oidc_issuer_url);
        if (!raw.get(FlagId::ClientId))
            throw UsageError("--client-id is required with --oidc-issuer-url (the client registered at that provider)");
        for (std::string rest = raw.get(FlagId::OidcExtraScope).value_or(""); !rest.empty();) {
            const std::size_t comma = rest.find(',');
            const std::string item = rest.substr(0, comma);
            if (!item.empty()) s.oidc_extra_scopes += (s.oidc_extra_scopes.empty() ? "" : " ") + item;
            rest = comma == std::string::npos ? std::string() : rest.substr(comma + 1);
        }
    } else if (raw.get(FlagId::OidcExtraScope)) {
        throw UsageError("--oidc-extra-scope needs --oidc-issuer-url");
    }

    // msicredential.go (kubelogin): a client id selects the identity, else the
    // resource id; both given means the client id.
    if (mode == LoginMode::Msi && !s.client_id.empty()) s.identity_resource_id.clear();

    const bool user_flow = mode == LoginMode::DeviceCode || mode == LoginMode::Interactive || mode == LoginMode::Ropc;
    if (user_flow && s.client_id.empty()) s.client_id = kAksClientId;

    for (const LoginFlagSpec& f : login_flag_table()) {
        const ModeSet required = check == LoginCheck::GetToken ? f.required : f.required_in_entry;
        std::string LoginSettings::*field = field_of(f.id);
        if (!has_mode(required, mode) || field == nullptr || !(s.*field).empty()) continue;
        if (f.id == FlagId::TenantId && !s.oidc_issuer_url.empty()) continue;  // a generic OIDC provider has no tenant
        throw missing({&f}, s.login_mode, check, use_env, azurerm);
    }
    if (check == LoginCheck::GetToken && mode == LoginMode::Spn && s.client_secret.empty() &&
        s.client_certificate.empty()) {
        throw missing({&login_flag(FlagId::ClientSecret), &login_flag(FlagId::ClientCertificate)}, s.login_mode, check,
                      use_env, azurerm);
    }
    return out;
}

}  // namespace aks
