#include <catch2/catch.hpp>

#include <map>

#include "core/cloud.h"
#include "core/errors.h"
#include "core/login_args.h"
#include "tests/unit/env_map.h"

using aks_test::env_of;

using aks::parse_login_args;
using aks::UsageError;
using Args = std::vector<std::string>;

namespace {

constexpr const char* kTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

const aks::EnvLookup kNoEnv = env_of({});

aks::LoginSettings parse(const Args& args, const aks::EnvLookup& env = kNoEnv) {
    return parse_login_args(args, env).settings;
}

std::string usage_error(const Args& args, const aks::EnvLookup& env = kNoEnv, bool allow_unknown = false) {
    try {
        parse_login_args(args, env, allow_unknown);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "<no error>";
}

}  // namespace

TEST_CASE("defaults for device code", "[login_args]") {
    const auto s = parse({"-t", kTenant});
    CHECK(s.login_mode == "devicecode");
    CHECK(s.tenant_id == kTenant);
    CHECK(s.server_id == aks::kAksServerId);
    CHECK(s.client_id == aks::kAksClientId);
    CHECK(s.authority_host == "https://login.microsoftonline.com");
    CHECK(s.timeout_seconds == 0);
    CHECK_FALSE(s.legacy);
    CHECK(s.cache_dir.empty());
}

TEST_CASE("a kubeconfig written by az aks get-credentials + kubelogin convert parses", "[login_args]") {
    const auto r = parse_login_args({"get-token", "--login", "devicecode", "--server-id", aks::kAksServerId,
                                     "--client-id", aks::kAksClientId, "--tenant-id", kTenant, "--environment",
                                     "AzurePublicCloud"},
                                    kNoEnv);
    CHECK(r.rest == Args{"get-token"});
    CHECK(r.settings.login_mode == "devicecode");
    CHECK(r.settings.environment == "AzurePublicCloud");
    CHECK_FALSE(r.help);
}

TEST_CASE("flag=value and short flag forms", "[login_args]") {
    const auto s = parse({"--login=interactive", "--tenant-id=contoso.onmicrosoft.com", "--server-id=srv",
                          "--client-id=cli", "--login-hint=Alice@Contoso.com", "--redirect-url=http://localhost:8400",
                          "--cache-dir=/tmp/c", "--certificate-authority=/ca.pem", "-e=AzureChinaCloud"});
    CHECK(s.login_mode == "interactive");
    CHECK(s.tenant_id == "contoso.onmicrosoft.com");
    CHECK(s.server_id == "srv");
    CHECK(s.client_id == "cli");
    CHECK(s.login_hint == "Alice@Contoso.com");
    CHECK(s.redirect_url == "http://localhost:8400");
    CHECK(s.cache_dir == "/tmp/c");
    CHECK(s.certificate_authority == "/ca.pem");
    CHECK(s.authority_host == "https://login.chinacloudapi.cn");

    CHECK(parse({"-lspn", "-t" + std::string(kTenant), "--client-id", "c", "--client-secret", "x"}).login_mode == "spn");
    CHECK(parse({"-l=ropc", "-t", kTenant, "--username", "u"}).login_mode == "ropc");
    CHECK(parse({"-l", "azurecli"}).login_mode == "azurecli");
}

TEST_CASE("last occurrence of a flag wins", "[login_args]") {
    CHECK(parse({"-t", "a", "--tenant-id", "b"}).tenant_id == "b");
}

TEST_CASE("values are kept exactly", "[login_args]") {
    const auto s = parse({"-t", kTenant, "--login-hint", " Alice "});
    CHECK(s.login_hint == " Alice ");
}

TEST_CASE("every login mode is accepted, case-sensitively", "[login_args]") {
    for (const char* m : {"devicecode", "interactive", "ropc"}) {
        CHECK(parse({"-l", m, "-t", kTenant, "--username", "u"}).login_mode == m);
    }
    CHECK(parse({"-l", "spn", "-t", kTenant, "--client-id", "c", "--client-secret", "s"}).login_mode == "spn");
    CHECK(parse({"-l", "msi"}).login_mode == "msi");
    CHECK(parse({"-l", "azurecli"}).login_mode == "azurecli");
    CHECK(parse({"-l", "azd"}).login_mode == "azd");
    CHECK(parse({"-l", "workloadidentity", "-t", kTenant, "--client-id", "c"}).login_mode == "workloadidentity");

    const std::string e = usage_error({"-l", "DeviceCode", "-t", kTenant});
    CHECK(e.find("'DeviceCode' is not a login mode") != std::string::npos);
    CHECK(e.find("devicecode, interactive, spn, ropc, msi, azurecli, azd, workloadidentity") != std::string::npos);
    CHECK(usage_error({"-l", "azurepipelines"}).find("not supported") != std::string::npos);
    CHECK(usage_error({}, env_of({{"AAD_LOGIN_METHOD", "bogus"}})).find("AAD_LOGIN_METHOD 'bogus'") !=
          std::string::npos);
}

TEST_CASE("unsupported kubelogin flags are refused by name", "[login_args]") {
    const std::string pop = usage_error({"-t", kTenant, "--pop-enabled"});
    CHECK(pop.rfind("--pop-enabled is not supported by aks-token (", 0) == 0);
    CHECK(usage_error({"-t", kTenant, "--pop-claims", "u=x"}).rfind("--pop-claims is not supported by aks-token", 0) == 0);
    CHECK(usage_error({"-t", kTenant, "--pop-claims=u=x"}).rfind("--pop-claims is not supported", 0) == 0);
    CHECK(usage_error({"--azure-pipelines-service-connection-id", "x"})
              .rfind("--azure-pipelines-service-connection-id is not supported", 0) == 0);
    // Explicitly disabled PoP asks for nothing we lack.
    CHECK(parse({"-t", kTenant, "--pop-enabled=false"}).tenant_id == kTenant);
    // Unsupported even when unknown flags are allowed.
    CHECK(usage_error({"--pop-enabled"}, kNoEnv, true).find("not supported") != std::string::npos);
}

TEST_CASE("accepted kubelogin flags without effect", "[login_args]") {
    const auto s = parse({"-t", kTenant, "--legacy", "--disable-instance-discovery", "--logtostderr=false"});
    CHECK(s.legacy);
    CHECK_FALSE(parse({"-t", kTenant, "--legacy=false"}).legacy);
    CHECK(usage_error({"-t", kTenant, "--legacy=maybe"}) == "flag --legacy takes true or false, not 'maybe'");
    // A bool flag never swallows the next argument.
    const auto r = parse_login_args({"--legacy", "pos", "-t", kTenant}, kNoEnv);
    CHECK(r.rest == Args{"pos"});
    // Deprecated --token-cache-dir is --cache-dir: one variable in kubelogin
    // (options.go binds both to AuthRecordCacheDir), so the last one given wins.
    CHECK(parse({"-t", kTenant, "--token-cache-dir", "/a"}).cache_dir == "/a");
    CHECK(parse({"-t", kTenant, "--cache-dir", "/b", "--token-cache-dir", "/a"}).cache_dir == "/a");
    CHECK(parse({"-t", kTenant, "--token-cache-dir", "/a", "--cache-dir", "/b"}).cache_dir == "/b");
}

TEST_CASE("missing values and unknown flags", "[login_args]") {
    CHECK(usage_error({"--tenant-id"}) == "flag --tenant-id needs a value");
    CHECK(usage_error({"-t"}) == "flag --tenant-id needs a value");
    CHECK(usage_error({"--tenant-id", "--login", "devicecode"}) == "flag --tenant-id needs a value");
    CHECK(usage_error({"-t", kTenant, "--foo"}) == "unknown flag --foo (see aks-token get-token --help)");
    CHECK(usage_error({"-t", kTenant, "-x"}) == "unknown flag -x (see aks-token get-token --help)");

    const auto r = parse_login_args({"-t", kTenant, "--foo", "bar", "--context=x", "-q"}, kNoEnv, true);
    CHECK(r.rest == Args{"--foo", "bar", "--context=x", "-q"});
}

TEST_CASE("secret values may start with dashes", "[login_args]") {
    const auto s = parse({"-l", "spn", "-t", kTenant, "--client-id", "c", "--client-secret", "--odd-secret"});
    CHECK(s.client_secret == "--odd-secret");
}

TEST_CASE("positional arguments, -v and -- go to rest", "[login_args]") {
    const auto r = parse_login_args({"get-token", "-v", "4", "-t", kTenant, "--v=2", "-v5", "--", "--login", "x"}, kNoEnv);
    CHECK(r.rest == Args{"get-token", "-v", "4", "--v=2", "-v5", "--", "--login", "x"});
    CHECK(r.settings.login_mode == "devicecode");
}

TEST_CASE("help skips validation", "[login_args]") {
    auto r = parse_login_args({"--help"}, kNoEnv);
    CHECK(r.help);
    r = parse_login_args({"-h", "-l", "bogus"}, kNoEnv);
    CHECK(r.help);
}

TEST_CASE("timeout accepts Go durations and bare seconds", "[login_args]") {
    auto t = [](const std::string& v) { return parse({"-t", kTenant, "--timeout", v}).timeout_seconds; };
    CHECK(t("60s") == 60);
    CHECK(t("5m") == 300);
    CHECK(t("1h30m") == 5400);
    CHECK(t("1.5h") == 5400);
    CHECK(t("90") == 90);
    CHECK(t("500ms") == 1);
    CHECK(t("2m30.5s") == 151);
    CHECK(parse({"-t", kTenant, "--timeout=45s"}).timeout_seconds == 45);
    for (const char* bad : {"", "abc", "10x", "0", "0s", "-5s", "s", "1h-5m", "5 m", ".s", "99999999999999"}) {
        INFO(bad);
        if (std::string(bad).empty()) continue;  // "" means "not given"
        CHECK(usage_error({"-t", kTenant, "--timeout", bad}).rfind("--timeout '", 0) == 0);
    }
    // AZURE_CLI_TIMEOUT: see the environment table below.
}

TEST_CASE("tenant is required for the Entra flows", "[login_args]") {
    CHECK(usage_error({}) == "--tenant-id is required for --login devicecode (or set AZURE_TENANT_ID)");
    CHECK(usage_error({"-l", "interactive"}) == "--tenant-id is required for --login interactive (or set AZURE_TENANT_ID)");
    CHECK(usage_error({"-l", "ropc", "--username", "u"}).rfind("--tenant-id is required for --login ropc", 0) == 0);
    CHECK(usage_error({"-l", "spn", "--client-id", "c", "--client-secret", "s"})
              .rfind("--tenant-id is required for --login spn", 0) == 0);
    CHECK(usage_error({"-l", "workloadidentity", "--client-id", "c"})
              .rfind("--tenant-id is required for --login workloadidentity", 0) == 0);
    CHECK(usage_error({"-t", ""}) == "--tenant-id is required for --login devicecode (or set AZURE_TENANT_ID)");
    CHECK(usage_error({"-t", "a/b"}) == "--tenant-id 'a/b' is not a tenant id or domain name");
    CHECK(usage_error({"-t", "x y"}).find("is not a tenant id") != std::string::npos);
    // No tenant needed where the other party knows it.
    CHECK(parse({"-l", "msi"}).tenant_id.empty());
    CHECK(parse({"-l", "azurecli"}).tenant_id.empty());
    CHECK(parse({"-l", "azd"}).tenant_id.empty());
    CHECK(parse({"-l", "msi", "-t", kTenant}).tenant_id.empty());  // msi reads no tenant
    // A bad value is refused even where the mode would not read it.
    CHECK(usage_error({"-l", "msi", "-t", "a/b"}) == "--tenant-id 'a/b' is not a tenant id or domain name");
}

TEST_CASE("msi takes --identity-resource-id and --client-id", "[login_args]") {
    const auto s = parse({"-l", "msi", "--identity-resource-id", "/subscriptions/x/id"});
    CHECK(s.identity_resource_id == "/subscriptions/x/id");
    CHECK(s.server_id == aks::kAksServerId);
    // kubelogin's msicredential.go: the client id wins over the resource id.
    const auto both = parse({"-l", "msi", "--identity-resource-id", "/subscriptions/x/id", "--client-id", "mi"});
    CHECK(both.client_id == "mi");
    CHECK(both.identity_resource_id.empty());
}

TEST_CASE("environment and authority host", "[login_args]") {
    CHECK(parse({"-t", kTenant, "-e", "AzureUSGovernmentCloud"}).authority_host == "https://login.microsoftonline.us");
    CHECK(parse({"-t", kTenant, "--environment", "AzurePublicCloud"}).authority_host ==
          "https://login.microsoftonline.com");
    CHECK_THROWS_AS(parse({"-t", kTenant, "-e", "NoSuchCloud"}), UsageError);
    CHECK_THROWS_AS(parse({"-t", kTenant, "--authority-host", "http://insecure.test"}), UsageError);
    CHECK(usage_error({"-t", kTenant}, env_of({{"AZURE_AUTHORITY_HOST", "ftp://x"}}))
              .rfind("AZURE_AUTHORITY_HOST must be an https URL", 0) == 0);
    // kubelogin's GetCloudConfiguration names, any case.
    CHECK(parse({"-t", kTenant, "-e", "azurepublic"}).authority_host == "https://login.microsoftonline.com");
    CHECK(parse({"-t", kTenant, "-e", "AZUREUSGOVERNMENT"}).authority_host == "https://login.microsoftonline.us");
    // Modes that do not talk to Entra themselves keep the public cloud as the
    // key's authority, whatever -e says (az and azd know their cloud).
    CHECK(parse({"-l", "azurecli", "-e", "AzureChinaCloud"}).authority_host == "https://login.microsoftonline.com");
    CHECK(parse({"-l", "msi", "--authority-host", "https://other.test"}).authority_host ==
          "https://login.microsoftonline.com");
}

TEST_CASE("process_env reads the real environment", "[login_args]") {
    ::setenv("AKS_TEST_LOGIN_ARGS_VAR", "value", 1);
    CHECK(aks::process_env()("AKS_TEST_LOGIN_ARGS_VAR") == std::optional<std::string>("value"));
    ::unsetenv("AKS_TEST_LOGIN_ARGS_VAR");
    CHECK_FALSE(aks::process_env()("AKS_TEST_LOGIN_ARGS_VAR").has_value());
}

TEST_CASE("an explicitly empty server id is refused, not defaulted", "[login_args]") {
    REQUIRE_THROWS_WITH(parse({"--server-id", "", "-t", kTenant}), Catch::Contains("--server-id is empty"));
    REQUIRE_THROWS_AS(parse({"--server-id=", "-t", kTenant}), UsageError);
    CHECK(parse({"-t", kTenant}).server_id == aks::kAksServerId);
}

TEST_CASE("split_login_flags keeps each login flag's name and value in order") {
    std::vector<std::string> rest;
    const auto flags = aks::split_login_flags(
        {"-l", "spn", "--tenant-id=t", "--legacy", "--client-secret", "--dashy", "pos", "-v", "2", "--bogus", "-et"},
        rest);
    REQUIRE(flags.size() == 5);
    CHECK(flags[0].spec == aks::find_login_flag("login"));
    CHECK(flags[0].name == "login");
    CHECK(flags[0].value == "spn");
    CHECK(flags[1].name == "tenant-id");
    CHECK(flags[1].value == "t");
    CHECK(flags[2].name == "legacy");
    CHECK(flags[2].is_bool);
    CHECK(flags[2].value.empty());
    CHECK(flags[3].name == "client-secret");
    CHECK(flags[3].value == "--dashy");  // secrets may start with dashes
    CHECK(flags[4].name == "environment");
    CHECK(flags[4].value == "t");
    CHECK(rest == std::vector<std::string>{"pos", "-v", "2", "--bogus"});
    CHECK_THROWS_AS(aks::split_login_flags({"--server-id"}, rest), aks::UsageError);
    CHECK_THROWS_WITH(aks::split_login_flags({"--pop-enabled"}, rest), Catch::Contains("not supported"));
    // -h/--help belong to the command (aks-proxy has its own --help).
    rest.clear();
    CHECK(aks::split_login_flags({"--help", "-h", "-s", "sub"}, rest).size() == 1);
    CHECK(rest == std::vector<std::string>{"--help", "-h"});
    // A convert-kubeconfig flag is split like any other; get-token refuses it.
    CHECK(aks::split_login_flags({"--azure-config-dir", "/d"}, rest).at(0).name == "azure-config-dir");
}

TEST_CASE("generic OIDC: issuer, client id and extra scopes", "[login_args]") {
    auto s = parse({"--oidc-issuer-url", "https://dex.example.com/", "--client-id", "kubectl", "--oidc-extra-scope",
                    "groups,email", "--oidc-extra-scope=kube"});
    CHECK(s.oidc_issuer_url == "https://dex.example.com");
    CHECK(s.client_id == "kubectl");
    CHECK(s.oidc_extra_scopes == "groups email kube");
    CHECK(s.tenant_id.empty());  // no tenant needed
    s = parse({"-l", "interactive", "--oidc-issuer-url", "https://127.0.0.1:5556", "--client-id", "c"});
    CHECK(s.login_mode == "interactive");
    // https only, loopback included; no user part, query or fragment.
    for (const char* bad : {"http://127.0.0.1:5556", "http://localhost:1@evil.example", "https://a@dex.example.com",
                            "https://dex.example.com?x=1", "https://dex.example.com#f", "dex.example.com"})
        CHECK(usage_error({"--oidc-issuer-url", bad, "--client-id", "c"}).find("https URL") != std::string::npos);
    CHECK(usage_error({"--oidc-issuer-url", "https://dex.example.com"}).find("--client-id is required") !=
          std::string::npos);
    CHECK(usage_error({"--oidc-issuer-url", "http://dex.example.com", "--client-id", "c"}).find("https") !=
          std::string::npos);
    CHECK(usage_error({"-l", "spn", "--oidc-issuer-url", "https://d", "--client-id", "c", "--client-secret", "s"})
              .find("devicecode or interactive") != std::string::npos);
    CHECK(usage_error({"-t", kTenant, "--oidc-extra-scope", "x"}).find("needs --oidc-issuer-url") != std::string::npos);
    // Without the issuer nothing changes for Entra.
    CHECK(parse({"-t", kTenant}).oidc_issuer_url.empty());
}

TEST_CASE("azurecli keeps --subscription (-s)", "[login_args]") {
    CHECK(parse({"-l", "azurecli", "--subscription", "sub-1"}).subscription == "sub-1");
    // kubelogin options.go: StringVarP(&o.SubscriptionID, "subscription", "s", ...).
    CHECK(parse({"-l", "azurecli", "-s", "sub-2"}).subscription == "sub-2");
    CHECK(parse({"-l", "azurecli", "-ssub-3"}).subscription == "sub-3");
    CHECK(parse({"-l", "azurecli"}).subscription.empty());
    // Read by azurecli only.
    CHECK(parse({"-t", kTenant, "-s", "sub-1"}).subscription.empty());
}

TEST_CASE("get-token refuses --azure-config-dir, a convert-kubeconfig flag", "[login_args]") {
    CHECK(usage_error({"-l", "azurecli", "--azure-config-dir", "/d"}) ==
          "--azure-config-dir is a convert-kubeconfig flag (it writes AZURE_CONFIG_DIR into the entry's env); "
          "get-token reads AZURE_CONFIG_DIR from the environment");
}

TEST_CASE("a redirect URL is checked where it is parsed", "[login_args]") {
    CHECK(parse({"-l", "interactive", "-t", kTenant, "--redirect-url", "http://localhost:8400/cb"}).redirect_url ==
          "http://localhost:8400/cb");
    CHECK(usage_error({"-l", "interactive", "-t", kTenant, "--redirect-url", "https://example.com/"})
              .rfind("--redirect-url must be an http URL on localhost", 0) == 0);
    CHECK(usage_error({"-l", "interactive", "-t", kTenant, "--redirect-url", "http://localhost/"}) ==
          "--redirect-url needs a port, e.g. http://localhost:8400/");
    // Read by interactive only.
    CHECK(parse({"-t", kTenant, "--redirect-url", "http://localhost:1/"}).redirect_url.empty());
}

TEST_CASE("the conversion check requires only what the entry itself must carry", "[login_args]") {
    auto conversion_error = [](const Args& args) {
        try {
            parse_login_args(args, kNoEnv, false, aks::LoginCheck::Conversion);
        } catch (const UsageError& e) {
            return std::string(e.what());
        }
        return std::string("<no error>");
    };
    // kubelogin convert.go: devicecode, interactive, spn and ropc need a
    // tenant (and spn a client id) in the entry; the rest may come from the
    // environment when kubectl runs the plugin.
    CHECK(conversion_error({"-l", "devicecode"}) ==
          "--tenant-id is required for --login devicecode: the entry has none; give --tenant-id");
    CHECK(conversion_error({"-l", "spn", "-t", kTenant}) ==
          "--client-id is required for --login spn: the entry has none; give --client-id");
    CHECK(conversion_error({"-l", "spn", "-t", kTenant, "--client-id", "c"}) == "<no error>");
    CHECK(conversion_error({"-l", "ropc", "-t", kTenant}) == "<no error>");
    CHECK(conversion_error({"-l", "workloadidentity"}) == "<no error>");
    CHECK(conversion_error({"-l", "msi"}) == "<no error>");
    // Values are checked as get-token checks them.
    CHECK(conversion_error({"-l", "azurecli", "--timeout", "0s"}).rfind("--timeout '0s'", 0) == 0);
}

// get-token's flags and environment variables, mode by mode. The spec is
// Azure/kubelogin 66784961ef44 (v0.2.19-5): pkg/internal/token/options.go
// UpdateFromEnv runs after the flags, so a set variable beats its flag, later
// names beat earlier ones (AZURE_CLIENT_ID over AAD_SERVICE_PRINCIPAL_CLIENT_ID,
// as docs/book/src/concepts/login-modes/sp.md says), and
// --disable-environment-override turns all of it off. Rows marked "aks-token"
// are the deliberate differences the README lists.
namespace {

struct EnvCase {
    const char* name;
    Args args;
    std::map<std::string, std::string> env;
    std::map<std::string, std::string> expect;  // field → value; fields not named are not checked
    std::string error;                          // prefix of the UsageError instead
};

std::map<std::string, std::string> fields(const aks::LoginSettings& s) {
    return {{"mode", s.login_mode},
            {"client_id", s.client_id},
            {"tenant_id", s.tenant_id},
            {"client_secret", s.client_secret},
            {"client_certificate", s.client_certificate},
            {"client_certificate_password", s.client_certificate_password},
            {"username", s.username},
            {"password", s.password},
            {"federated_token_file", s.federated_token_file},
            {"authority_host", s.authority_host},
            {"timeout", std::to_string(s.timeout_seconds)},
            {"identity_resource_id", s.identity_resource_id},
            {"subscription", s.subscription},
            {"azure_config_dir", s.azure_config_dir},
            {"cache_dir", s.cache_dir}};
}

const char* const T = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const char* const AKS = "80faf920-1908-4b52-b5ef-a8e7bedfc67a";
const char* const PUB = "https://login.microsoftonline.com";

const std::vector<EnvCase> kEnvCases = {
    // --- login mode (options.go: env.LoginMethod; docs devicecode.md "Using Interactive Mode Instead")
    {"AAD_LOGIN_METHOD picks the mode", {"-t", T}, {{"AAD_LOGIN_METHOD", "interactive"}}, {{"mode", "interactive"}}, ""},
    {"AAD_LOGIN_METHOD beats --login baked into the kubeconfig", {"--login", "devicecode", "-t", T},
     {{"AAD_LOGIN_METHOD", "interactive"}}, {{"mode", "interactive"}}, ""},
    {"--disable-environment-override keeps the kubeconfig's --login", {"--login", "devicecode", "-t", T,
     "--disable-environment-override"}, {{"AAD_LOGIN_METHOD", "interactive"}}, {{"mode", "devicecode"}}, ""},
    {"a bad AAD_LOGIN_METHOD is named", {"-t", T}, {{"AAD_LOGIN_METHOD", "bogus"}}, {},
     "AAD_LOGIN_METHOD 'bogus' is not a login mode"},
    {"an empty variable counts as unset (aks-token; kubelogin's LookupEnv would take \"\")", {"-l", "azurecli"},
     {{"AAD_LOGIN_METHOD", ""}}, {{"mode", "azurecli"}}, ""},

    // --- devicecode / interactive: the kubeconfig's flags win (aks-token, Azure/kubelogin#427)
    {"devicecode: AZURE_CLIENT_ID does not replace the public client (aks-token, kubelogin#427)", {"-t", T},
     {{"AZURE_CLIENT_ID", "app"}, {"AAD_SERVICE_PRINCIPAL_CLIENT_ID", "app2"}}, {{"client_id", AKS}}, ""},
    {"devicecode: --client-id stays under AZURE_CLIENT_ID (aks-token)", {"-t", T, "--client-id", "pub"},
     {{"AZURE_CLIENT_ID", "app"}}, {{"client_id", "pub"}}, ""},
    {"devicecode: AZURE_TENANT_ID fills in a missing tenant", {}, {{"AZURE_TENANT_ID", "envt"}},
     {{"tenant_id", "envt"}}, ""},
    {"devicecode: -t wins over AZURE_TENANT_ID (aks-token)", {"-t", "flagt"}, {{"AZURE_TENANT_ID", "envt"}},
     {{"tenant_id", "flagt"}}, ""},
    {"devicecode: ARM_TENANT_ID with --use-azurerm-env-vars", {"--use-azurerm-env-vars"},
     {{"ARM_TENANT_ID", "armt"}, {"AZURE_TENANT_ID", "envt"}}, {{"tenant_id", "armt"}}, ""},
    {"devicecode: AZURE_AUTHORITY_HOST fills in (aks-token: kubelogin reads it for workloadidentity only)", {"-t", T},
     {{"AZURE_AUTHORITY_HOST", "https://Login.Example.test/"}}, {{"authority_host", "https://login.example.test"}}, ""},
    {"devicecode: --authority-host wins over AZURE_AUTHORITY_HOST", {"-t", T, "--authority-host", "https://a.test"},
     {{"AZURE_AUTHORITY_HOST", "https://b.test"}}, {{"authority_host", "https://a.test"}}, ""},
    {"devicecode: secrets in the environment are not read", {"-t", T},
     {{"AZURE_CLIENT_SECRET", "x"}, {"AZURE_USERNAME", "u"}, {"AZURE_FEDERATED_TOKEN_FILE", "/f"}},
     {{"client_secret", ""}, {"username", ""}, {"federated_token_file", ""}}, ""},
    {"interactive: like devicecode", {"-l", "interactive"}, {{"AZURE_TENANT_ID", "envt"}, {"AZURE_CLIENT_ID", "app"}},
     {{"tenant_id", "envt"}, {"client_id", AKS}}, ""},
    {"devicecode: without a tenant anywhere", {}, {}, {}, "--tenant-id is required for --login devicecode (or set AZURE_TENANT_ID)"},
    {"devicecode: the hint names ARM_TENANT_ID with --use-azurerm-env-vars", {"--use-azurerm-env-vars"}, {}, {},
     "--tenant-id is required for --login devicecode (or set ARM_TENANT_ID)"},
    {"devicecode: no hint when the environment is off", {"--disable-environment-override"}, {{"AZURE_TENANT_ID", "t"}},
     {}, "--tenant-id is required for --login devicecode"},

    // --- spn: the environment beats the flags (options.go), as sp.md's "convert -l spn, then export" needs
    {"spn: AAD_SERVICE_PRINCIPAL_* alone", {"-l", "spn"},
     {{"AZURE_TENANT_ID", T}, {"AAD_SERVICE_PRINCIPAL_CLIENT_ID", "aad-id"}, {"AAD_SERVICE_PRINCIPAL_CLIENT_SECRET", "aad-s"}},
     {{"client_id", "aad-id"}, {"client_secret", "aad-s"}, {"tenant_id", T}}, ""},
    {"spn: AZURE_CLIENT_ID/SECRET beat AAD_SERVICE_PRINCIPAL_* (sp.md)", {"-l", "spn"},
     {{"AZURE_TENANT_ID", T}, {"AAD_SERVICE_PRINCIPAL_CLIENT_ID", "aad-id"}, {"AAD_SERVICE_PRINCIPAL_CLIENT_SECRET", "aad-s"},
      {"AZURE_CLIENT_ID", "az-id"}, {"AZURE_CLIENT_SECRET", "az-s"}},
     {{"client_id", "az-id"}, {"client_secret", "az-s"}}, ""},
    {"spn: the environment beats the entry's --client-id (AKS client kept by convert -l spn)",
     {"-l", "spn", "--client-id", AKS, "-t", T},
     {{"AAD_SERVICE_PRINCIPAL_CLIENT_ID", "sp"}, {"AAD_SERVICE_PRINCIPAL_CLIENT_SECRET", "s"}},
     {{"client_id", "sp"}, {"client_secret", "s"}}, ""},
    {"spn: AZURE_CLIENT_SECRET beats --client-secret", {"-l", "spn", "-t", T, "--client-id", "c", "--client-secret", "flag"},
     {{"AZURE_CLIENT_SECRET", "env"}}, {{"client_secret", "env"}}, ""},
    {"spn: AZURE_TENANT_ID beats -t", {"-l", "spn", "-t", "flagt", "--client-id", "c", "--client-secret", "s"},
     {{"AZURE_TENANT_ID", "envt"}}, {{"tenant_id", "envt"}}, ""},
    {"spn: certificate variables", {"-l", "spn", "-t", T},
     {{"AZURE_CLIENT_ID", "az-id"}, {"AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE", "/aad.pfx"},
      {"AZURE_CLIENT_CERTIFICATE_PATH", "/az.pfx"}, {"AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE_PASSWORD", "p1"}},
     {{"client_certificate", "/az.pfx"}, {"client_certificate_password", "p1"}, {"client_secret", ""}}, ""},
    {"spn: AZURE_CLIENT_CERTIFICATE_PASSWORD beats the AAD_ one and the flag",
     {"-l", "spn", "-t", T, "--client-id", "c", "--client-certificate", "/c.pfx", "--client-certificate-password", "f"},
     {{"AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE_PASSWORD", "p1"}, {"AZURE_CLIENT_CERTIFICATE_PASSWORD", "p2"}},
     {{"client_certificate", "/c.pfx"}, {"client_certificate_password", "p2"}}, ""},
    {"spn: Terraform names with --use-azurerm-env-vars", {"-l", "spn", "--use-azurerm-env-vars"},
     {{"ARM_TENANT_ID", "armt"}, {"ARM_CLIENT_ID", "arm-id"}, {"ARM_CLIENT_SECRET", "arm-s"},
      {"AZURE_TENANT_ID", "azt"}, {"AZURE_CLIENT_ID", "az-id"}, {"AZURE_CLIENT_SECRET", "az-s"}},
     {{"tenant_id", "armt"}, {"client_id", "arm-id"}, {"client_secret", "arm-s"}}, ""},
    {"spn: ARM_CLIENT_CERTIFICATE_* with --use-azurerm-env-vars", {"-l", "spn", "--use-azurerm-env-vars", "-t", T},
     {{"ARM_CLIENT_ID", "arm-id"}, {"ARM_CLIENT_CERTIFICATE_PATH", "/arm.pfx"}, {"ARM_CLIENT_CERTIFICATE_PASSWORD", "ap"}},
     {{"client_certificate", "/arm.pfx"}, {"client_certificate_password", "ap"}}, ""},
    {"spn: --disable-environment-override uses the flags only", {"-l", "spn", "-t", T, "--client-id", "c",
     "--client-secret", "s", "--disable-environment-override"}, {{"AZURE_CLIENT_ID", "az"}, {"AZURE_TENANT_ID", "x"}},
     {{"client_id", "c"}, {"tenant_id", T}}, ""},
    {"spn: no client id", {"-l", "spn", "-t", T, "--client-secret", "s"}, {}, {},
     "--client-id is required for --login spn (or set AAD_SERVICE_PRINCIPAL_CLIENT_ID or AZURE_CLIENT_ID)"},
    {"spn: no secret", {"-l", "spn", "-t", T, "--client-id", "c"}, {}, {},
     "--client-secret or --client-certificate is required for --login spn (or set AAD_SERVICE_PRINCIPAL_CLIENT_SECRET or "
     "AZURE_CLIENT_SECRET or AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE or AZURE_CLIENT_CERTIFICATE_PATH)"},
    {"spn: AZURE_AUTHORITY_HOST fills in (aks-token)", {"-l", "spn", "-t", T, "--client-id", "c", "--client-secret", "s"},
     {{"AZURE_AUTHORITY_HOST", "https://idp.test"}}, {{"authority_host", "https://idp.test"}}, ""},

    // --- ropc: user and password from the environment beat the flags (options.go)
    {"ropc: AAD_USER_PRINCIPAL_*", {"-l", "ropc", "-t", T},
     {{"AAD_USER_PRINCIPAL_NAME", "aad@x"}, {"AAD_USER_PRINCIPAL_PASSWORD", "p1"}},
     {{"username", "aad@x"}, {"password", "p1"}}, ""},
    {"ropc: AZURE_USERNAME/PASSWORD beat AAD_USER_PRINCIPAL_*", {"-l", "ropc", "-t", T},
     {{"AAD_USER_PRINCIPAL_NAME", "aad@x"}, {"AAD_USER_PRINCIPAL_PASSWORD", "p1"}, {"AZURE_USERNAME", "az@x"},
      {"AZURE_PASSWORD", "p2"}},
     {{"username", "az@x"}, {"password", "p2"}}, ""},
    {"ropc: the environment beats --username/--password", {"-l", "ropc", "-t", T, "--username", "f@x", "--password", "pf"},
     {{"AZURE_USERNAME", "az@x"}, {"AZURE_PASSWORD", "p2"}}, {{"username", "az@x"}, {"password", "p2"}}, ""},
    {"ropc: the public client stays under AZURE_CLIENT_ID (aks-token, kubelogin#427)", {"-l", "ropc", "-t", T,
     "--username", "u"}, {{"AZURE_CLIENT_ID", "app"}}, {{"client_id", AKS}}, ""},
    {"ropc: -t wins over AZURE_TENANT_ID (aks-token)", {"-l", "ropc", "-t", "flagt", "--username", "u"},
     {{"AZURE_TENANT_ID", "envt"}}, {{"tenant_id", "flagt"}}, ""},
    {"ropc: no user", {"-l", "ropc", "-t", T}, {}, {},
     "--username is required for --login ropc (or set AAD_USER_PRINCIPAL_NAME or AZURE_USERNAME)"},

    // --- msi: client id or resource id only; no tenant, no cloud
    {"msi: AZURE_CLIENT_ID does not pick a user-assigned identity (aks-token, kubelogin#427)", {"-l", "msi"},
     {{"AZURE_CLIENT_ID", "app"}, {"AZURE_TENANT_ID", T}}, {{"client_id", ""}, {"tenant_id", ""}}, ""},
    {"msi: --client-id picks one", {"-l", "msi", "--client-id", "mi"}, {{"AZURE_CLIENT_ID", "app"}},
     {{"client_id", "mi"}}, ""},
    {"msi: -t, -e and --authority-host are not read", {"-l", "msi", "-t", T, "-e", "AzureChinaCloud"},
     {{"AZURE_AUTHORITY_HOST", "https://idp.test"}}, {{"tenant_id", ""}, {"authority_host", PUB}}, ""},

    // --- workloadidentity: the webhook's variables beat the flags (options.go)
    {"workloadidentity: the webhook's variables", {"-l", "workloadidentity"},
     {{"AZURE_CLIENT_ID", "wi"}, {"AZURE_TENANT_ID", T}, {"AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/token"},
      {"AZURE_AUTHORITY_HOST", "https://login.microsoftonline.com/"}},
     {{"client_id", "wi"}, {"tenant_id", T}, {"federated_token_file", "/var/run/secrets/token"}, {"authority_host", PUB}},
     ""},
    {"workloadidentity: they beat a kubeconfig's --client-id, -t, file and authority host",
     {"-l", "workloadidentity", "--client-id", "old", "-t", "oldt", "--federated-token-file", "/old",
      "--authority-host", "https://old.test"},
     {{"AZURE_CLIENT_ID", "wi"}, {"AZURE_TENANT_ID", "newt"}, {"AZURE_FEDERATED_TOKEN_FILE", "/new"},
      {"AZURE_AUTHORITY_HOST", "https://new.test"}},
     {{"client_id", "wi"}, {"tenant_id", "newt"}, {"federated_token_file", "/new"}, {"authority_host", "https://new.test"}},
     ""},
    {"workloadidentity: flags when the variables are absent", {"-l", "workloadidentity", "--client-id", "c", "-t", T,
     "--federated-token-file", "/f"}, {}, {{"client_id", "c"}, {"federated_token_file", "/f"}}, ""},
    {"workloadidentity: AZURE_CLIENT_ID beats ARM_CLIENT_ID with --use-azurerm-env-vars",
     {"-l", "workloadidentity", "--use-azurerm-env-vars"},
     {{"ARM_CLIENT_ID", "arm"}, {"AZURE_CLIENT_ID", "az"}, {"ARM_TENANT_ID", "armt"}, {"AZURE_TENANT_ID", "azt"}},
     {{"client_id", "az"}, {"tenant_id", "armt"}}, ""},
    {"workloadidentity: no client id", {"-l", "workloadidentity", "-t", T}, {}, {},
     "--client-id is required for --login workloadidentity (or set AAD_SERVICE_PRINCIPAL_CLIENT_ID or AZURE_CLIENT_ID)"},

    // --- azurecli / azd
    {"azurecli: -t goes to az; no client id, no cloud", {"-l", "azurecli", "-t", T, "--client-id", "c", "-e",
     "AzureChinaCloud"}, {}, {{"tenant_id", T}, {"client_id", ""}, {"authority_host", PUB}}, ""},
    {"azurecli: AZURE_TENANT_ID fills in (aks-token: the kubeconfig's -t wins)", {"-l", "azurecli"},
     {{"AZURE_TENANT_ID", "envt"}}, {{"tenant_id", "envt"}}, ""},
    {"azurecli: AZURE_CONFIG_DIR names the az profile (part of the key)", {"-l", "azurecli"},
     {{"AZURE_CONFIG_DIR", "/home/me/.azure-work"}}, {{"azure_config_dir", "/home/me/.azure-work"}}, ""},
    {"azurecli: az reads AZURE_CONFIG_DIR whatever --disable-environment-override says",
     {"-l", "azurecli", "--disable-environment-override"}, {{"AZURE_CONFIG_DIR", "/d"}}, {{"azure_config_dir", "/d"}}, ""},
    {"devicecode: AZURE_CONFIG_DIR is az's business only", {"-t", T}, {{"AZURE_CONFIG_DIR", "/d"}},
     {{"azure_config_dir", ""}}, ""},
    {"azd: -t goes to azd", {"-l", "azd", "-t", T}, {}, {{"tenant_id", T}}, ""},

    // --- every mode
    {"AZURE_CLI_TIMEOUT beats --timeout", {"-t", T, "--timeout", "10s"}, {{"AZURE_CLI_TIMEOUT", "2m"}},
     {{"timeout", "120"}}, ""},
    {"AZURE_CLI_TIMEOUT alone", {"-t", T}, {{"AZURE_CLI_TIMEOUT", "90s"}}, {{"timeout", "90"}}, ""},
    {"a bad AZURE_CLI_TIMEOUT is ignored", {"-t", T, "--timeout", "10s"}, {{"AZURE_CLI_TIMEOUT", "junk"}},
     {{"timeout", "10"}}, ""},
    {"--disable-environment-override ignores AZURE_CLI_TIMEOUT", {"-t", T, "--disable-environment-override"},
     {{"AZURE_CLI_TIMEOUT", "2m"}}, {{"timeout", "0"}}, ""},
    {"KUBECACHEDIR is the cache directory's default, not a flag value", {"-t", T}, {{"KUBECACHEDIR", "/k"}},
     {{"cache_dir", ""}}, ""},
};

}  // namespace

TEST_CASE("environment variables, mode by mode, with kubelogin's precedence", "[login_args]") {
    for (const EnvCase& c : kEnvCases) {
        INFO(c.name);
        if (!c.error.empty()) {
            const std::string e = usage_error(c.args, env_of(c.env));
            CHECK(e.rfind(c.error, 0) == 0);
            INFO(e);
            continue;
        }
        aks::LoginSettings s;
        REQUIRE_NOTHROW(s = parse(c.args, env_of(c.env)));
        const auto got = fields(s);
        for (const auto& [field, want] : c.expect) {
            INFO(field);
            CHECK(got.at(field) == want);
        }
    }
}

TEST_CASE("secret values never appear in an error", "[login_args]") {
    CHECK(usage_error({"-l", "spn", "--client-id", "c", "--client-secret", "TOPSECRET"}).find("TOPSECRET") ==
          std::string::npos);
    CHECK(usage_error({"-l", "ropc", "--password", "TOPSECRET", "-t", "a/b"}).find("TOPSECRET") == std::string::npos);
}
