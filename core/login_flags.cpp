// The login flag table (see login_flags.h). Rows cite what they follow in
// Azure/kubelogin 66784961ef44 (v0.2.19-5): options.go is "options",
// convert.go is "converter".
#include "core/login_flags.h"

#include "core/errors.h"

namespace aks {
namespace {

constexpr ModeSet DC = mode_bit(LoginMode::DeviceCode);
constexpr ModeSet IA = mode_bit(LoginMode::Interactive);
constexpr ModeSet SPN = mode_bit(LoginMode::Spn);
constexpr ModeSet ROPC = mode_bit(LoginMode::Ropc);
constexpr ModeSet MSI = mode_bit(LoginMode::Msi);
constexpr ModeSet CLI = mode_bit(LoginMode::AzureCli);
constexpr ModeSet AZD = mode_bit(LoginMode::Azd);
constexpr ModeSet WI = mode_bit(LoginMode::WorkloadIdentity);
constexpr ModeSet ALL = DC | IA | SPN | ROPC | MSI | CLI | AZD | WI;
// The modes that talk to Entra ID (or an OIDC provider) themselves.
constexpr ModeSet ENTRA = DC | IA | SPN | ROPC | WI;
// converter: the modes whose conversion carries client id, tenant and
// environment over from the old entry (getArgValues); the others write them
// only when given as flags.
constexpr ModeSet KEEPS_IDENTITY = DC | IA | SPN | ROPC;

using P = EnvPrecedence;
using S = EnvSet;
using K = ValueKind;

const std::vector<LoginModeInfo> kModes = {
    {LoginMode::DeviceCode, "devicecode", "code and URL on stderr (the default)"},
    {LoginMode::Interactive, "interactive", "browser sign-in (auth code + PKCE); needs no terminal"},
    {LoginMode::Spn, "spn", "service principal: --client-secret or --client-certificate"},
    {LoginMode::Ropc, "ropc", "username and password (deprecated by Microsoft; no MFA)"},
    {LoginMode::Msi, "msi", "managed identity (IMDS, App Service, Cloud Shell)"},
    {LoginMode::AzureCli, "azurecli", "the token of `az` (its own sign-in)"},
    {LoginMode::Azd, "azd", "the token of `azd` (its own sign-in)"},
    {LoginMode::WorkloadIdentity, "workloadidentity", "federated token (AKS webhook, GitHub Actions)"},
};

const std::vector<LoginFlagSpec> kFlags = {
    // options: AAD_LOGIN_METHOD is applied after the flags, so it beats --login
    // (kubelogin documents this in docs/book/src/concepts/login-modes/devicecode.md).
    {FlagId::Login, "login", 'l', K::Value, "MODE", false, Support::Supported, Origin::Kubelogin, Scope::Login, ALL,
     0, 0, 0, {{ALL, P::Overrides, S::Always, {"AAD_LOGIN_METHOD"}}},
     "login mode, one of the modes below (default devicecode)"},
    // converter: "all login methods require --server-id"; get-token defaults it.
    {FlagId::ServerId, "server-id", 0, K::Value, "ID", false, Support::Supported, Origin::Kubelogin, Scope::Login, ALL,
     ALL, 0, 0, {}, "AKS server application id (default 6dae42f8-4368-4678-94ff-3960e28e3630)"},
    // options: AAD_SERVICE_PRINCIPAL_CLIENT_ID then AZURE_CLIENT_ID (or ARM_CLIENT_ID)
    // override --client-id in every mode, and workloadidentity reads
    // AZURE_CLIENT_ID again. aks-token reads them only for spn and
    // workloadidentity: a stray AZURE_CLIENT_ID must not replace the public
    // client of a user sign-in (Azure/kubelogin#427) or pick a managed identity.
    {FlagId::ClientId, "client-id", 0, K::Value, "ID", false, Support::Supported, Origin::Kubelogin, Scope::Login,
     DC | IA | SPN | ROPC | MSI | WI, KEEPS_IDENTITY, SPN | WI, SPN,
     {{SPN | WI, P::Overrides, S::Standard, {"AAD_SERVICE_PRINCIPAL_CLIENT_ID", "AZURE_CLIENT_ID"}},
      {SPN, P::Overrides, S::AzureRm, {"ARM_CLIENT_ID"}},
      {WI, P::Overrides, S::AzureRm, {"ARM_CLIENT_ID", "AZURE_CLIENT_ID"}}},
     "application id: the public client of a user sign-in (default 80faf920-1908-4b52-b5ef-a8e7bedfc67a),\n"
     "the service principal (spn), the federated application (workloadidentity),\n"
     "a user-assigned identity (msi)"},
    // options: AZURE_TENANT_ID (ARM_TENANT_ID) overrides -t in every mode;
    // aks-token lets the kubeconfig's tenant win for user sign-ins and az/azd.
    // converter: msi, workloadidentity, azurecli and azd drop the old tenant.
    {FlagId::TenantId, "tenant-id", 't', K::Value, "TENANT", false, Support::Supported, Origin::Kubelogin, Scope::Login,
     ENTRA | CLI | AZD, KEEPS_IDENTITY, DC | IA | SPN | ROPC | WI, KEEPS_IDENTITY,
     {{SPN | WI, P::Overrides, S::Standard, {"AZURE_TENANT_ID"}},
      {SPN | WI, P::Overrides, S::AzureRm, {"ARM_TENANT_ID"}},
      {DC | IA | ROPC | CLI | AZD, P::Fallback, S::Standard, {"AZURE_TENANT_ID"}},
      {DC | IA | ROPC | CLI | AZD, P::Fallback, S::AzureRm, {"ARM_TENANT_ID"}}},
     "tenant id or domain (az/azd: passed as their --tenant)"},
    {FlagId::Environment, "environment", 'e', K::Value, "NAME", false, Support::Supported, Origin::Kubelogin,
     Scope::Login, ENTRA, KEEPS_IDENTITY, 0, 0, {},
     "cloud: AzurePublicCloud (default), AzureChinaCloud, AzureUSGovernmentCloud"},
    // options: AZURE_AUTHORITY_HOST is read for workloadidentity only (and
    // beats the flag); aks-token also lets it fill in for the other Entra modes.
    {FlagId::AuthorityHost, "authority-host", 0, K::Value, "URL", false, Support::Supported, Origin::Kubelogin,
     Scope::Login, ENTRA, KEEPS_IDENTITY, 0, 0,
     {{WI, P::Overrides, S::Always, {"AZURE_AUTHORITY_HOST"}},
      {DC | IA | SPN | ROPC, P::Fallback, S::Always, {"AZURE_AUTHORITY_HOST"}}},
     "identity provider base URL (https); overrides -e"},
    // converter: secrets, certificates, user names and msi/wi/az options are
    // written only when given as flags, never carried from the old entry.
    {FlagId::ClientSecret, "client-secret", 0, K::Value, "SECRET", true, Support::Supported, Origin::Kubelogin,
     Scope::Login, SPN, 0, 0, 0,
     {{SPN, P::Overrides, S::Standard, {"AAD_SERVICE_PRINCIPAL_CLIENT_SECRET", "AZURE_CLIENT_SECRET"}},
      {SPN, P::Overrides, S::AzureRm, {"ARM_CLIENT_SECRET"}}},
     "spn secret (never printed)"},
    {FlagId::ClientCertificate, "client-certificate", 0, K::Value, "FILE", false, Support::Supported,
     Origin::Kubelogin, Scope::Login, SPN, 0, 0, 0,
     {{SPN, P::Overrides, S::Standard, {"AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE", "AZURE_CLIENT_CERTIFICATE_PATH"}},
      {SPN, P::Overrides, S::AzureRm, {"ARM_CLIENT_CERTIFICATE_PATH"}}},
     "spn certificate with its key (PEM or PKCS#12)"},
    {FlagId::ClientCertificatePassword, "client-certificate-password", 0, K::Value, "PASSWORD", true,
     Support::Supported, Origin::Kubelogin, Scope::Login, SPN, 0, 0, 0,
     {{SPN, P::Overrides, S::Standard,
       {"AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE_PASSWORD", "AZURE_CLIENT_CERTIFICATE_PASSWORD"}},
      {SPN, P::Overrides, S::AzureRm, {"ARM_CLIENT_CERTIFICATE_PASSWORD"}}},
     "password of a PKCS#12 --client-certificate (never printed)"},
    {FlagId::Username, "username", 0, K::Value, "UPN", false, Support::Supported, Origin::Kubelogin, Scope::Login,
     ROPC, 0, ROPC, 0, {{ROPC, P::Overrides, S::Always, {"AAD_USER_PRINCIPAL_NAME", "AZURE_USERNAME"}}},
     "ropc user"},
    {FlagId::Password, "password", 0, K::Value, "PASSWORD", true, Support::Supported, Origin::Kubelogin, Scope::Login,
     ROPC, 0, 0, 0, {{ROPC, P::Overrides, S::Always, {"AAD_USER_PRINCIPAL_PASSWORD", "AZURE_PASSWORD"}}},
     "ropc password (never printed)"},
    {FlagId::IdentityResourceId, "identity-resource-id", 0, K::Value, "ID", false, Support::Supported,
     Origin::Kubelogin, Scope::Login, MSI, 0, 0, 0, {}, "msi: resource id of a user-assigned identity"},
    {FlagId::IdentityObjectId, "identity-object-id", 0, K::Value, "ID", false, Support::Supported, Origin::AksToken,
     Scope::Login, MSI, 0, 0, 0, {}, "msi: object (principal) id of a user-assigned identity"},
    {FlagId::FederatedTokenFile, "federated-token-file", 0, K::Value, "FILE", false, Support::Supported,
     Origin::Kubelogin, Scope::Login, WI, 0, 0, 0, {{WI, P::Overrides, S::Always, {"AZURE_FEDERATED_TOKEN_FILE"}}},
     "workloadidentity: projected service account token (re-read on every request)"},
    {FlagId::Subscription, "subscription", 's', K::Value, "ID", false, Support::Supported, Origin::Kubelogin,
     Scope::Login, CLI, 0, 0, 0, {}, "azurecli: ask az for this subscription (instead of --tenant)"},
    // converter: written into the exec entry's env list as AZURE_CONFIG_DIR for azurecli.
    {FlagId::AzureConfigDir, "azure-config-dir", 0, K::Value, "DIR", false, Support::Supported, Origin::Kubelogin,
     Scope::ConvertOnly, CLI, 0, 0, 0, {{CLI, P::External, S::Always, {"AZURE_CONFIG_DIR"}}},
     "azurecli: az's configuration directory, written as AZURE_CONFIG_DIR into the entry's env"},
    {FlagId::RedirectUrl, "redirect-url", 0, K::Value, "URL", false, Support::Supported, Origin::Kubelogin,
     Scope::Login, IA, IA, 0, 0, {}, "interactive: loopback redirect URL (default http://localhost:<free port>)"},
    // kubelogin reads --login-hint for interactive only; aks-token also lets it
    // name the account (and so the cache entry) of a device code sign-in.
    {FlagId::LoginHint, "login-hint", 0, K::Value, "UPN", false, Support::Supported, Origin::Kubelogin, Scope::Login,
     DC | IA, DC | IA, 0, 0, {}, "account to sign in as"},
    {FlagId::OidcIssuerUrl, "oidc-issuer-url", 0, K::Value, "URL", false, Support::Supported, Origin::AksToken,
     Scope::Login, DC | IA, DC | IA, 0, 0, {},
     "any OpenID Connect provider (https) instead of Entra ID; needs --client-id"},
    {FlagId::OidcExtraScope, "oidc-extra-scope", 0, K::Value, "SCOPE", false, Support::Supported, Origin::AksToken,
     Scope::Login, DC | IA, DC | IA, 0, 0, {}, "extra scope for --oidc-issuer-url (repeatable, or a comma list)"},
    {FlagId::CacheDir, "cache-dir", 0, K::Value, "DIR", false, Support::Supported, Origin::Kubelogin, Scope::Login,
     ALL, ALL, 0, 0, {{ALL, P::External, S::Always, {"KUBECACHEDIR"}}},
     "token cache (default $KUBECACHEDIR/aks-auth, else ~/.kube/cache/aks-auth)"},
    {FlagId::TokenCacheDir, "token-cache-dir", 0, K::Value, "DIR", false, Support::Supported, Origin::Kubelogin,
     Scope::Login, ALL, ALL, 0, 0, {}, "kubelogin's deprecated name of --cache-dir", "cache-dir"},
    // options: AZURE_CLI_TIMEOUT, when it parses, replaces --timeout.
    {FlagId::Timeout, "timeout", 0, K::Value, "DURATION", false, Support::Supported, Origin::Kubelogin, Scope::Login,
     ALL, ALL, 0, 0, {{ALL, P::Overrides, S::Always, {"AZURE_CLI_TIMEOUT"}}},
     "give up waiting (browser, device code, az/azd) after e.g. 90s, 5m or 1h30m"},
    {FlagId::CertificateAuthority, "certificate-authority", 0, K::Value, "FILE", false, Support::Supported,
     Origin::AksToken, Scope::Login, ALL & ~(CLI | AZD), ALL & ~(CLI | AZD), 0, 0, {},
     "CA bundle to trust for the identity provider"},
    // converter: --legacy is kept from the old entry (or a legacy provider's
    // config-mode 0) for devicecode, spn and ropc.
    {FlagId::Legacy, "legacy", 0, K::Bool, nullptr, false, Support::NoOp, Origin::Kubelogin, Scope::Login,
     DC | SPN | ROPC, DC | SPN | ROPC, 0, 0, {},
     "accepted and kept: kubelogin's 'spn:' audience of AKS legacy AAD; the token is the same"},
    // options: UpdateFromEnv returns at once, so no variable above is read
    // (KUBECACHEDIR and AZURE_CONFIG_DIR are read elsewhere and still count).
    {FlagId::DisableEnvironmentOverride, "disable-environment-override", 0, K::Bool, nullptr, false,
     Support::Supported, Origin::Kubelogin, Scope::Login, ALL, ALL, 0, 0, {},
     "read none of the environment variables of these flags"},
    {FlagId::UseAzureRmEnvVars, "use-azurerm-env-vars", 0, K::Bool, nullptr, false, Support::Supported,
     Origin::Kubelogin, Scope::Login, ALL & ~MSI, ALL & ~MSI, 0, 0, {},
     "read Terraform's ARM_CLIENT_ID, ARM_CLIENT_SECRET, ARM_CLIENT_CERTIFICATE_PATH,\n"
     "ARM_CLIENT_CERTIFICATE_PASSWORD and ARM_TENANT_ID instead"},
    {FlagId::DisableInstanceDiscovery, "disable-instance-discovery", 0, K::Bool, nullptr, false, Support::NoOp,
     Origin::Kubelogin, Scope::Login, 0, 0, 0, 0, {}, "accepted: aks-token does no MSAL instance discovery"},
    {FlagId::LogToStderr, "logtostderr", 0, K::Bool, nullptr, false, Support::NoOp, Origin::Kubelogin, Scope::Login,
     0, 0, 0, 0, {}, "accepted (klog's flag): diagnostics always go to stderr"},
    {FlagId::PopEnabled, "pop-enabled", 0, K::Bool, nullptr, false, Support::Refused, Origin::Kubelogin, Scope::Login,
     0, 0, 0, 0, {}, "proof-of-possession tokens are not implemented; use kubelogin for Azure Arc clusters"},
    {FlagId::PopClaims, "pop-claims", 0, K::Value, "CLAIMS", false, Support::Refused, Origin::Kubelogin, Scope::Login,
     0, 0, 0, 0, {}, "proof-of-possession tokens are not implemented; use kubelogin for Azure Arc clusters"},
    {FlagId::AzurePipelinesServiceConnectionId, "azure-pipelines-service-connection-id", 0, K::Value, "ID", false,
     Support::Refused, Origin::Kubelogin, Scope::Login, 0, 0, 0, 0, {},
     "the azurepipelines login mode is not implemented; use --login workloadidentity or spn"},
};

}  // namespace

const std::vector<LoginModeInfo>& login_modes() { return kModes; }

std::optional<LoginMode> login_mode_named(std::string_view name) {
    for (const auto& m : kModes) {
        if (name == m.name) return m.mode;
    }
    return std::nullopt;
}

const char* login_mode_name(LoginMode m) { return kModes.at(static_cast<std::size_t>(m)).name; }

std::string login_mode_list() {
    std::string out;
    for (const auto& m : kModes) out += (out.empty() ? "" : ", ") + std::string(m.name);
    return out;
}

std::string mode_set_text(ModeSet set) {
    if (set == ALL) return "every mode";
    std::string out;
    for (const auto& m : kModes) {
        if (has_mode(set, m.mode)) out += (out.empty() ? "" : ", ") + std::string(m.name);
    }
    return out;
}

const std::vector<LoginFlagSpec>& login_flag_table() { return kFlags; }

const LoginFlagSpec& login_flag(FlagId id) {
    for (const auto& f : kFlags) {
        if (f.id == id) return f;
    }
    throw std::logic_error("login flag table has no row for an id");
}

const LoginFlagSpec* find_login_flag(std::string_view long_name) {
    for (const auto& f : kFlags) {
        if (long_name == f.name) return &f;
    }
    return nullptr;
}

const LoginFlagSpec* find_login_flag_short(char short_name) {
    for (const auto& f : kFlags) {
        if (f.short_name != 0 && f.short_name == short_name) return &f;
    }
    return nullptr;
}

std::string flag_display(const LoginFlagSpec& f) { return std::string("--") + f.name; }

std::vector<std::string> env_names_for(const LoginFlagSpec& f, LoginMode mode, bool azurerm) {
    std::vector<std::string> out;
    for (const EnvRule& r : f.env) {
        if (r.modes == 0 || !has_mode(r.modes, mode) || r.precedence == EnvPrecedence::External) continue;
        if (r.set == EnvSet::Standard && azurerm) continue;
        if (r.set == EnvSet::AzureRm && !azurerm) continue;
        for (const char* n : r.names) {
            if (n != nullptr) out.emplace_back(n);
        }
    }
    return out;
}

std::string recommended_env(const LoginFlagSpec& f) {
    for (const EnvRule& r : f.env) {
        if (r.modes != 0 && r.set != EnvSet::AzureRm && r.names[0] != nullptr) return r.names[0];
    }
    return {};
}

}  // namespace aks
