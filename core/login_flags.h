#pragma once
// The login flag table: every kubelogin flag (and aks-token's few additions)
// with its short name, value kind, environment variables and their
// precedence, the login modes that read it, what convert-kubeconfig keeps
// from an old entry, and its help text. The get-token parser
// (core/login_args), convert-kubeconfig, aks-token --help, aks-proxy --help
// and the README's per-mode table all read this one source.
//
// The spec is Azure/kubelogin at v0.2.19-5-g6678496 (commit 66784961ef44):
// pkg/internal/token/options.go (flags, UpdateFromEnv, Validate),
// pkg/internal/token/provider.go and the credentials it builds (which mode
// reads what), pkg/internal/converter/convert.go (what conversion writes).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aks {

enum class LoginMode { DeviceCode, Interactive, Spn, Ropc, Msi, AzureCli, Azd, WorkloadIdentity };

// A set of login modes, one bit per LoginMode.
using ModeSet = unsigned;
constexpr ModeSet mode_bit(LoginMode m) { return 1u << static_cast<unsigned>(m); }
constexpr bool has_mode(ModeSet set, LoginMode m) { return (set & mode_bit(m)) != 0; }

struct LoginModeInfo {
    LoginMode mode;
    const char* name;     // as --login takes it
    const char* summary;  // one line for --help
};
const std::vector<LoginModeInfo>& login_modes();
std::optional<LoginMode> login_mode_named(std::string_view name);
const char* login_mode_name(LoginMode m);
// "devicecode, interactive, spn, ropc, msi, azurecli, azd, workloadidentity"
std::string login_mode_list();
// Mode names of a set, comma-separated, in table order ("every mode" for all).
std::string mode_set_text(ModeSet set);

enum class FlagId {
    Login, ServerId, ClientId, TenantId, Environment, AuthorityHost, ClientSecret, ClientCertificate,
    ClientCertificatePassword, Username, Password, IdentityResourceId, IdentityObjectId, FederatedTokenFile,
    Subscription, AzureConfigDir, RedirectUrl, LoginHint, OidcIssuerUrl, OidcExtraScope, CacheDir, TokenCacheDir,
    Timeout, CertificateAuthority, Legacy, DisableEnvironmentOverride, UseAzureRmEnvVars, DisableInstanceDiscovery,
    LogToStderr, PopEnabled, PopClaims, AzurePipelinesServiceConnectionId,
};

enum class ValueKind { Value, Bool };

enum class Support {
    Supported,  // parsed and used
    NoOp,       // accepted for compatibility, changes nothing (help says why)
    Refused,    // a kubelogin feature aks-token lacks: one line saying so
};

enum class Origin { Kubelogin, AksToken };

// Which commands take the flag on their command line.
enum class Scope {
    Login,        // get-token and everything that names an identity (login, token, status, logout, aks-proxy)
    ConvertOnly,  // only convert-kubeconfig (kubelogin's --azure-config-dir)
};

// How one environment variable rule relates to the flag.
enum class EnvPrecedence {
    Overrides,  // kubelogin's UpdateFromEnv runs after the flags: a set variable beats the flag
    Fallback,   // aks-token: the variable only fills in what no flag gave
    External,   // read by someone else (the cache directory, az itself); listed for help only
};

// Which name set a rule belongs to (kubelogin's --use-azurerm-env-vars).
enum class EnvSet { Always, Standard, AzureRm };

struct EnvRule {
    ModeSet modes = 0;  // 0 marks an unused slot
    EnvPrecedence precedence = EnvPrecedence::Overrides;
    EnvSet set = EnvSet::Always;
    // In the order kubelogin applies them: when both are set, the later wins.
    const char* names[2] = {nullptr, nullptr};
};

struct LoginFlagSpec {
    FlagId id;
    const char* name;      // long name without dashes
    char short_name;       // 0: none
    ValueKind kind;
    const char* value_name;  // for help: "ID", "FILE" (nullptr for booleans)
    bool secret;           // never printed; written into a kubeconfig only with a warning
    Support support;
    Origin origin;
    Scope scope;
    ModeSet reads;         // modes whose get-token uses the value
    ModeSet carried;       // modes into which convert-kubeconfig keeps the old entry's value when -l switches mode
    ModeSet required;      // get-token refuses these modes without a value (flag or environment)
    ModeSet required_in_entry;  // convert-kubeconfig refuses these modes without a value (flag or old entry)
    EnvRule env[4];
    const char* help;      // for Refused flags: why; '\n' starts a continuation line
    const char* alias_of = nullptr;  // another name of this flag (--token-cache-dir → "cache-dir")
};

// Every flag, in the order help lists them and conversion writes them.
const std::vector<LoginFlagSpec>& login_flag_table();
const LoginFlagSpec& login_flag(FlagId id);
const LoginFlagSpec* find_login_flag(std::string_view long_name);
const LoginFlagSpec* find_login_flag_short(char short_name);

// "--tenant-id".
std::string flag_display(const LoginFlagSpec& f);

// The environment variable names of `f` that apply to `mode` (with or without
// --use-azurerm-env-vars), in kubelogin's order, Fallback and Overrides rules
// alike; External rules are left out.
std::vector<std::string> env_names_for(const LoginFlagSpec& f, LoginMode mode, bool azurerm);

// The variable kubelogin's documentation recommends instead of writing a
// secret into a kubeconfig (the first name of the flag's standard rule).
std::string recommended_env(const LoginFlagSpec& f);

}  // namespace aks
