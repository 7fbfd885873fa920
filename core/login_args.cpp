// kubelogin `get-token` flag and environment handling (DESIGN.md
// "Compatibility with Azure/kubelogin"). Flags are parsed the way pflag does
// it ("--flag value", "--flag=value", "-l value", "-lvalue", "-l=value");
// environment variables only fill what no flag gave.
#include "core/login_args.h"

#include <cmath>
#include <cstdlib>
#include <initializer_list>
#include <map>

#include "core/cloud.h"
#include "core/errors.h"
#include "core/url.h"

namespace aks {
namespace {

const char* const kLoginModes[] = {"devicecode", "interactive", "spn",  "ropc",
                                   "msi",        "azurecli",    "azd", "workloadidentity"};
const char* const kLoginModeList =
    "devicecode, interactive, spn, ropc, msi, azurecli, azd, workloadidentity";

enum class Id {
    Login, ServerId, ClientId, TenantId, Environment, ClientSecret, ClientCertificate,
    ClientCertificatePassword, Username, Password, IdentityResourceId, FederatedTokenFile,
    AuthorityHost, CacheDir, TokenCacheDir, Timeout, RedirectUrl, LoginHint, CertificateAuthority,
    Legacy, Help, DisableEnvironmentOverride, UseAzureRmEnvVars, DisableInstanceDiscovery,
    LogToStderr, OidcIssuerUrl, OidcExtraScope, Subscription, IdentityObjectId,
};

enum class Kind {
    Value,   // takes a value
    Secret,  // takes a value, which may itself start with "--"
    Bool,    // "--flag" or "--flag=true|false"; never consumes the next argument
};

struct FlagSpec {
    const char* name;
    char short_name;
    Kind kind;
    Id id;
};

const FlagSpec kFlags[] = {
    {"login", 'l', Kind::Value, Id::Login},
    {"server-id", 0, Kind::Value, Id::ServerId},
    {"client-id", 0, Kind::Value, Id::ClientId},
    {"tenant-id", 't', Kind::Value, Id::TenantId},
    {"environment", 'e', Kind::Value, Id::Environment},
    {"client-secret", 0, Kind::Secret, Id::ClientSecret},
    {"client-certificate", 0, Kind::Value, Id::ClientCertificate},
    {"client-certificate-password", 0, Kind::Secret, Id::ClientCertificatePassword},
    {"username", 0, Kind::Value, Id::Username},
    {"password", 0, Kind::Secret, Id::Password},
    {"identity-resource-id", 0, Kind::Value, Id::IdentityResourceId},
    // msi: a user-assigned identity by object (principal) id; not a kubelogin flag.
    {"identity-object-id", 0, Kind::Value, Id::IdentityObjectId},
    {"federated-token-file", 0, Kind::Value, Id::FederatedTokenFile},
    {"authority-host", 0, Kind::Value, Id::AuthorityHost},
    {"cache-dir", 0, Kind::Value, Id::CacheDir},
    // kubelogin's deprecated spelling of --cache-dir.
    {"token-cache-dir", 0, Kind::Value, Id::TokenCacheDir},
    {"timeout", 0, Kind::Value, Id::Timeout},
    {"redirect-url", 0, Kind::Value, Id::RedirectUrl},
    {"login-hint", 0, Kind::Value, Id::LoginHint},
    // az's --subscription for --login azurecli (its tenant may differ from the default one).
    {"subscription", 0, Kind::Value, Id::Subscription},
    {"certificate-authority", 0, Kind::Value, Id::CertificateAuthority},
    {"legacy", 0, Kind::Bool, Id::Legacy},
    {"help", 'h', Kind::Bool, Id::Help},
    {"disable-environment-override", 0, Kind::Bool, Id::DisableEnvironmentOverride},
    {"use-azurerm-env-vars", 0, Kind::Bool, Id::UseAzureRmEnvVars},
    // We never do MSAL instance discovery, so there is nothing to disable.
    {"disable-instance-discovery", 0, Kind::Bool, Id::DisableInstanceDiscovery},
    // klog's flag, present in kubelogin's global flag set; we log to stderr anyway.
    {"logtostderr", 0, Kind::Bool, Id::LogToStderr},
    // Generic OpenID Connect provider instead of Entra (int128/kubelogin's names).
    {"oidc-issuer-url", 0, Kind::Value, Id::OidcIssuerUrl},
    {"oidc-extra-scope", 0, Kind::Value, Id::OidcExtraScope},
};

struct Unsupported {
    const char* name;
    bool is_bool;
    const char* why;
};

const Unsupported kUnsupported[] = {
    {"pop-enabled", true, "proof-of-possession tokens are not implemented; use kubelogin for Azure Arc clusters"},
    {"pop-claims", false, "proof-of-possession tokens are not implemented; use kubelogin for Azure Arc clusters"},
    {"azure-pipelines-service-connection-id", false,
     "the azurepipelines login mode is not implemented; use --login workloadidentity or spn"},
};

const FlagSpec* find_long(const std::string& name) {
    for (const auto& f : kFlags) {
        if (name == f.name) return &f;
    }
    return nullptr;
}

const FlagSpec* find_short(char c) {
    for (const auto& f : kFlags) {
        if (f.short_name != 0 && f.short_name == c) return &f;
    }
    return nullptr;
}

// Go's strconv.ParseBool, which pflag uses for "--flag=value".
std::optional<bool> parse_go_bool(const std::string& v) {
    for (const char* t : {"1", "t", "T", "true", "TRUE", "True"}) {
        if (v == t) return true;
    }
    for (const char* f : {"0", "f", "F", "false", "FALSE", "False"}) {
        if (v == f) return false;
    }
    return std::nullopt;
}

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

bool is_login_mode(const std::string& m) {
    for (const char* mode : kLoginModes) {
        if (m == mode) return true;
    }
    return false;
}

struct RawFlags {
    std::map<Id, std::string> values;  // last occurrence wins, as in pflag
    std::map<Id, bool> bools;
    std::optional<std::string> get(Id id) const {
        const auto it = values.find(id);
        if (it == values.end() || it->second.empty()) return std::nullopt;  // "" means not given
        return it->second;
    }
    bool given_empty(Id id) const {
        const auto it = values.find(id);
        return it != values.end() && it->second.empty();
    }
    bool flag(Id id) const {
        const auto it = bools.find(id);
        return it != bools.end() && it->second;
    }
};

std::string display(const FlagSpec& f) { return std::string("--") + f.name; }

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

// kubelogin flags we do not implement fail by name, never silently; an
// explicit "--pop-enabled=false" asks for nothing we lack.
void refuse_unsupported(const FlagWord& w) {
    if (!w.is_long) return;
    for (const auto& u : kUnsupported) {
        if (w.name != u.name) continue;
        if (u.is_bool && w.inline_value && parse_go_bool(*w.inline_value) == false) return;
        throw UsageError("--" + w.name + " is not supported by aks-token (" + u.why + ")");
    }
}

void parse_flags(const std::vector<std::string>& args, bool allow_unknown, RawFlags& raw,
                 std::vector<std::string>& rest) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--") {
            rest.insert(rest.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
            return;
        }
        if (arg.size() < 2 || arg[0] != '-') {
            rest.push_back(arg);  // positional
            continue;
        }
        const FlagWord word = split_flag_word(arg);
        const std::string& name = word.name;
        const std::optional<std::string>& inline_value = word.inline_value;
        const bool is_long = word.is_long;
        const FlagSpec* spec = nullptr;

        // klog verbosity (-v 4, --v=4): the CLI handles it.
        if (name == "v") {
            rest.push_back(arg);
            if (!inline_value && i + 1 < args.size() && !args[i + 1].empty() && args[i + 1][0] != '-') {
                rest.push_back(args[++i]);
            }
            continue;
        }

        refuse_unsupported(word);
        if (is_long) {
            spec = find_long(name);
            if (spec == nullptr && name == "pop-enabled") continue;  // "=false": nothing to do
        } else {
            spec = find_short(name[0]);
        }
        if (spec == nullptr) {
            const std::string shown = is_long ? "--" + name : "-" + name;
            if (allow_unknown) {
                rest.push_back(arg);
                continue;
            }
            throw UsageError("unknown flag " + shown + " (see aks-token get-token --help)");
        }

        if (spec->kind == Kind::Bool) {
            bool value = true;
            if (inline_value) {
                const auto b = parse_go_bool(*inline_value);
                if (!b) throw UsageError("flag " + display(*spec) + " takes true or false, not '" + *inline_value + "'");
                value = *b;
            }
            raw.bools[spec->id] = value;
            continue;
        }

        std::string value;
        if (inline_value) {
            value = *inline_value;
        } else {
            const bool next_is_flag =
                i + 1 < args.size() && spec->kind != Kind::Secret && args[i + 1].rfind("--", 0) == 0;
            if (i + 1 >= args.size() || next_is_flag) throw UsageError("flag " + display(*spec) + " needs a value");
            value = args[++i];
        }
        // --oidc-extra-scope repeats (and takes comma lists), as in int128/kubelogin.
        if (spec->id == Id::OidcExtraScope && raw.values.count(spec->id) && !raw.values[spec->id].empty())
            value = raw.values[spec->id] + "," + value;
        raw.values[spec->id] = value;
    }
}

}  // namespace

EnvLookup process_env() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        if (v == nullptr) return std::nullopt;
        return std::string(v);
    };
}

ParsedLoginArgs parse_login_args(const std::vector<std::string>& args, const EnvLookup& env,
                                 bool allow_unknown) {
    ParsedLoginArgs out;
    RawFlags raw;
    parse_flags(args, allow_unknown, raw, out.rest);
    out.help = raw.flag(Id::Help);

    const bool use_env = !raw.flag(Id::DisableEnvironmentOverride);
    const bool azurerm = raw.flag(Id::UseAzureRmEnvVars);
    // Empty environment variables count as unset.
    auto from_env = [&](std::initializer_list<const char*> names) -> std::optional<std::string> {
        if (!use_env || !env) return std::nullopt;
        for (const char* n : names) {
            auto v = env(n);
            if (v && !v->empty()) return v;
        }
        return std::nullopt;
    };
    auto pick = [&](Id id, std::initializer_list<const char*> names) -> std::string {
        if (auto v = raw.get(id)) return *v;
        if (auto v = from_env(names)) return *v;
        return {};
    };

    LoginSettings& s = out.settings;
    std::string mode_source = "--login";
    if (auto v = raw.get(Id::Login)) {
        s.login_mode = *v;
    } else if (auto e = from_env({"AAD_LOGIN_METHOD"})) {
        s.login_mode = *e;
        mode_source = "AAD_LOGIN_METHOD";
    }
    const std::string& mode = s.login_mode;
    const bool spn = mode == "spn";
    const bool ropc = mode == "ropc";
    const bool wi = mode == "workloadidentity";
    const bool user_flow = mode == "devicecode" || mode == "interactive" || ropc;

    s.environment = pick(Id::Environment, {});
    const char* tenant_env = azurerm ? "ARM_TENANT_ID" : "AZURE_TENANT_ID";
    s.tenant_id = pick(Id::TenantId, {tenant_env});
    // Other empty values mean "not given"; an explicitly empty server id is a
    // broken kubeconfig, and silently using the AKS default would hide it.
    if (raw.given_empty(Id::ServerId))
        throw UsageError("--server-id is empty; give the AKS server application id (" + std::string(kAksServerId) + ")");
    s.server_id = raw.get(Id::ServerId).value_or(kAksServerId);

    if (spn) {
        if (azurerm) {
            s.client_id = pick(Id::ClientId, {"ARM_CLIENT_ID"});
            s.client_secret = pick(Id::ClientSecret, {"ARM_CLIENT_SECRET"});
            s.client_certificate = pick(Id::ClientCertificate, {"ARM_CLIENT_CERTIFICATE_PATH"});
            s.client_certificate_password =
                pick(Id::ClientCertificatePassword, {"ARM_CLIENT_CERTIFICATE_PASSWORD"});
        } else {
            s.client_id = pick(Id::ClientId, {"AAD_SERVICE_PRINCIPAL_CLIENT_ID", "AZURE_CLIENT_ID"});
            s.client_secret = pick(Id::ClientSecret, {"AAD_SERVICE_PRINCIPAL_CLIENT_SECRET", "AZURE_CLIENT_SECRET"});
            s.client_certificate = pick(Id::ClientCertificate,
                                        {"AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE", "AZURE_CLIENT_CERTIFICATE_PATH"});
            s.client_certificate_password =
                pick(Id::ClientCertificatePassword,
                     {"AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE_PASSWORD", "AZURE_CLIENT_CERTIFICATE_PASSWORD"});
        }
    } else {
        // AZURE_CLIENT_ID belongs to workload identity here; a user flow keeps the
        // AKS client and msi takes only --client-id, as kubelogin does.
        s.client_id = wi ? pick(Id::ClientId, {"AZURE_CLIENT_ID"}) : raw.get(Id::ClientId).value_or("");
        s.client_secret = raw.get(Id::ClientSecret).value_or("");
        s.client_certificate = raw.get(Id::ClientCertificate).value_or("");
        s.client_certificate_password = raw.get(Id::ClientCertificatePassword).value_or("");
    }
    if (user_flow && s.client_id.empty()) s.client_id = kAksClientId;

    if (ropc) {
        s.username = pick(Id::Username, {"AAD_USER_PRINCIPAL_NAME", "AZURE_USERNAME"});
        s.password = pick(Id::Password, {"AAD_USER_PRINCIPAL_PASSWORD", "AZURE_PASSWORD"});
    } else {
        s.username = raw.get(Id::Username).value_or("");
        s.password = raw.get(Id::Password).value_or("");
    }
    s.federated_token_file =
        wi ? pick(Id::FederatedTokenFile, {"AZURE_FEDERATED_TOKEN_FILE"}) : raw.get(Id::FederatedTokenFile).value_or("");
    s.identity_resource_id = raw.get(Id::IdentityResourceId).value_or("");
    s.identity_object_id = raw.get(Id::IdentityObjectId).value_or("");
    s.login_hint = raw.get(Id::LoginHint).value_or("");
    s.subscription = raw.get(Id::Subscription).value_or("");
    s.redirect_url = raw.get(Id::RedirectUrl).value_or("");
    s.certificate_authority = raw.get(Id::CertificateAuthority).value_or("");
    s.cache_dir = raw.get(Id::CacheDir).value_or(raw.get(Id::TokenCacheDir).value_or(""));
    s.legacy = raw.flag(Id::Legacy);

    // Help needs no valid identity: stop before anything that can fail.
    if (out.help) return out;

    if (auto t = raw.get(Id::Timeout)) {
        const auto secs = parse_timeout(*t);
        if (!secs) throw UsageError("--timeout '" + *t + "' is not a positive duration such as 60s, 5m or 1h30m");
        s.timeout_seconds = *secs;
    } else if (auto e = from_env({"AZURE_CLI_TIMEOUT"})) {
        s.timeout_seconds = parse_timeout(*e).value_or(0);  // kubelogin ignores a bad value too
    }

    if (!is_login_mode(mode)) {
        if (mode == "azurepipelines") {
            throw UsageError(mode_source + " azurepipelines is not supported by aks-token; use one of: " +
                             std::string(kLoginModeList));
        }
        throw UsageError(mode_source + " '" + mode + "' is not a login mode; use one of: " + kLoginModeList);
    }

    // -e is checked even when an authority host overrides it, to catch typos.
    const std::string env_host = authority_host_for_environment(s.environment);
    if (auto h = raw.get(Id::AuthorityHost)) {
        s.authority_host = normalize_authority_host(*h);
    } else if (auto e = from_env({"AZURE_AUTHORITY_HOST"})) {
        s.authority_host = normalize_authority_host(*e);
    } else {
        s.authority_host = env_host;
    }

    if (auto issuer = raw.get(Id::OidcIssuerUrl)) {
        while (!issuer->empty() && issuer->back() == '/') issuer->pop_back();
        // https only, even on loopback: refresh tokens go to its endpoints.
        // An issuer identifier has no user, query or fragment (OIDC Discovery §2).
        const auto u = parse_url(*issuer);
        if (!u || u->scheme != "https" || issuer->rfind("https://", 0) != 0 ||
            issuer->find_first_of("?#") != std::string::npos)
            throw UsageError("--oidc-issuer-url must be an https URL without query or fragment, not '" + *issuer + "'");
        if (mode != "devicecode" && mode != "interactive")
            throw UsageError("--oidc-issuer-url works with --login devicecode or interactive, not " + mode);
        if (!raw.get(Id::ClientId))
            throw UsageError("--client-id is required with --oidc-issuer-url (the client registered at that provider)");
        s.oidc_issuer_url = *issuer;
        for (std::string rest = raw.get(Id::OidcExtraScope).value_or(""); !rest.empty();) {
            const std::size_t comma = rest.find(',');
            const std::string item = rest.substr(0, comma);
            if (!item.empty()) s.oidc_extra_scopes += (s.oidc_extra_scopes.empty() ? "" : " ") + item;
            rest = comma == std::string::npos ? std::string() : rest.substr(comma + 1);
        }
    } else if (raw.get(Id::OidcExtraScope)) {
        throw UsageError("--oidc-extra-scope needs --oidc-issuer-url");
    }

    // A generic OIDC provider has no tenant.
    const bool needs_tenant = (user_flow || spn || wi) && s.oidc_issuer_url.empty();
    if (needs_tenant && s.tenant_id.empty()) {
        throw UsageError("--tenant-id is required for --login " + mode + " (or set " + tenant_env + ")");
    }
    if (!s.tenant_id.empty() && !valid_tenant(s.tenant_id)) {
        throw UsageError("--tenant-id '" + s.tenant_id + "' is not a tenant id or domain name");
    }
    if (spn) {
        const char* id_env = azurerm ? "ARM_CLIENT_ID" : "AAD_SERVICE_PRINCIPAL_CLIENT_ID or AZURE_CLIENT_ID";
        const char* secret_env =
            azurerm ? "ARM_CLIENT_SECRET" : "AAD_SERVICE_PRINCIPAL_CLIENT_SECRET or AZURE_CLIENT_SECRET";
        if (s.client_id.empty()) {
            throw UsageError(std::string("--client-id is required for --login spn (or set ") + id_env + ")");
        }
        if (s.client_secret.empty() && s.client_certificate.empty()) {
            throw UsageError(std::string("--client-secret or --client-certificate is required for --login spn (or set ") +
                             secret_env + ")");
        }
    }
    if (ropc && s.username.empty()) {
        throw UsageError("--username is required for --login ropc (or set AAD_USER_PRINCIPAL_NAME or AZURE_USERNAME)");
    }
    if (wi && s.client_id.empty()) {
        throw UsageError("--client-id is required for --login workloadidentity (or set AZURE_CLIENT_ID)");
    }
    return out;
}

std::vector<LoginFlag> split_login_flags(const std::vector<std::string>& args, std::vector<std::string>& rest) {
    // The same walk as parse_flags, keeping each flag's name and order.
    std::vector<LoginFlag> flags;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--") {
            rest.insert(rest.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
            break;
        }
        if (arg.size() < 2 || arg[0] != '-') {
            rest.push_back(arg);
            continue;
        }
        const FlagWord word = split_flag_word(arg);
        const std::optional<std::string>& inline_value = word.inline_value;
        refuse_unsupported(word);
        const FlagSpec* spec = word.is_long ? find_long(word.name) : find_short(word.name[0]);
        if (spec == nullptr) {
            rest.push_back(arg);  // -v and anything unknown: the caller decides
            continue;
        }
        LoginFlag f;
        f.name = spec->name;
        f.is_bool = spec->kind == Kind::Bool;
        if (f.is_bool) {
            f.value = inline_value.value_or("");
        } else if (inline_value) {
            f.value = *inline_value;
        } else {
            const bool next_is_flag =
                i + 1 < args.size() && spec->kind != Kind::Secret && args[i + 1].rfind("--", 0) == 0;
            if (i + 1 >= args.size() || next_is_flag) throw UsageError("flag " + display(*spec) + " needs a value");
            f.value = args[++i];
        }
        flags.push_back(std::move(f));
    }
    return flags;
}

}  // namespace aks
