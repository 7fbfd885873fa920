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
    // Deprecated --token-cache-dir is --cache-dir; --cache-dir wins over it.
    CHECK(parse({"-t", kTenant, "--token-cache-dir", "/a"}).cache_dir == "/a");
    CHECK(parse({"-t", kTenant, "--cache-dir", "/b", "--token-cache-dir", "/a"}).cache_dir == "/b");
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
    // AZURE_CLI_TIMEOUT as in kubelogin; the flag wins, a bad value is ignored.
    CHECK(parse({"-t", kTenant}, env_of({{"AZURE_CLI_TIMEOUT", "2m"}})).timeout_seconds == 120);
    CHECK(parse({"-t", kTenant, "--timeout", "10s"}, env_of({{"AZURE_CLI_TIMEOUT", "2m"}})).timeout_seconds == 10);
    CHECK(parse({"-t", kTenant}, env_of({{"AZURE_CLI_TIMEOUT", "junk"}})).timeout_seconds == 0);
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
}

TEST_CASE("environment fills what flags leave out; flags win", "[login_args]") {
    const auto env = env_of({{"AZURE_TENANT_ID", "envtenant"},
                             {"AAD_LOGIN_METHOD", "interactive"},
                             {"AZURE_AUTHORITY_HOST", "https://Login.Example.test/"}});
    auto s = parse({}, env);
    CHECK(s.tenant_id == "envtenant");
    CHECK(s.login_mode == "interactive");
    CHECK(s.authority_host == "https://login.example.test");

    s = parse({"-t", "flagtenant", "-l", "devicecode", "--authority-host", "https://other.test"}, env);
    CHECK(s.tenant_id == "flagtenant");
    CHECK(s.login_mode == "devicecode");
    CHECK(s.authority_host == "https://other.test");

    // Empty variables count as unset.
    CHECK(usage_error({}, env_of({{"AZURE_TENANT_ID", ""}})).rfind("--tenant-id is required", 0) == 0);
}

TEST_CASE("AZURE_CLIENT_ID does not change the user-flow or msi client", "[login_args]") {
    const auto env = env_of({{"AZURE_TENANT_ID", kTenant}, {"AZURE_CLIENT_ID", "wi-client"}});
    CHECK(parse({}, env).client_id == aks::kAksClientId);
    CHECK(parse({"-l", "interactive"}, env).client_id == aks::kAksClientId);
    CHECK(parse({"-l", "ropc", "--username", "u"}, env).client_id == aks::kAksClientId);
    CHECK(parse({"-l", "msi"}, env).client_id.empty());
    CHECK(parse({"-l", "msi", "--client-id", "mi"}, env).client_id == "mi");
    CHECK(parse({"-l", "workloadidentity"}, env).client_id == "wi-client");
}

TEST_CASE("service principal environment", "[login_args]") {
    auto s = parse({"-l", "spn"}, env_of({{"AZURE_TENANT_ID", kTenant},
                                          {"AAD_SERVICE_PRINCIPAL_CLIENT_ID", "aad-id"},
                                          {"AAD_SERVICE_PRINCIPAL_CLIENT_SECRET", "aad-secret"},
                                          {"AZURE_CLIENT_ID", "az-id"},
                                          {"AZURE_CLIENT_SECRET", "az-secret"}}));
    CHECK(s.client_id == "aad-id");
    CHECK(s.client_secret == "aad-secret");

    s = parse({"-l", "spn"}, env_of({{"AZURE_TENANT_ID", kTenant},
                                     {"AZURE_CLIENT_ID", "az-id"},
                                     {"AZURE_CLIENT_CERTIFICATE_PATH", "/c.pfx"},
                                     {"AZURE_CLIENT_CERTIFICATE_PASSWORD", "pw"}}));
    CHECK(s.client_id == "az-id");
    CHECK(s.client_certificate == "/c.pfx");
    CHECK(s.client_certificate_password == "pw");
    CHECK(s.client_secret.empty());

    s = parse({"-l", "spn", "--client-id", "flag-id", "--client-secret", "flag-secret"},
              env_of({{"AZURE_TENANT_ID", kTenant}, {"AZURE_CLIENT_ID", "az-id"}, {"AZURE_CLIENT_SECRET", "az"}}));
    CHECK(s.client_id == "flag-id");
    CHECK(s.client_secret == "flag-secret");

    s = parse({"-l", "spn"}, env_of({{"AZURE_TENANT_ID", kTenant},
                                     {"AAD_SERVICE_PRINCIPAL_CLIENT_ID", "id"},
                                     {"AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE", "/aad.pfx"},
                                     {"AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE_PASSWORD", "aadpw"}}));
    CHECK(s.client_certificate == "/aad.pfx");
    CHECK(s.client_certificate_password == "aadpw");

    CHECK(usage_error({"-l", "spn", "-t", kTenant, "--client-secret", "s"}) ==
          "--client-id is required for --login spn (or set AAD_SERVICE_PRINCIPAL_CLIENT_ID or AZURE_CLIENT_ID)");
    CHECK(usage_error({"-l", "spn", "-t", kTenant, "--client-id", "c"})
              .rfind("--client-secret or --client-certificate is required for --login spn", 0) == 0);
    // Secrets never appear in an error.
    CHECK(usage_error({"-l", "spn", "--client-id", "c", "--client-secret", "TOPSECRET"}).find("TOPSECRET") ==
          std::string::npos);
    // Secret environment variables are only read for spn.
    CHECK(parse({"-t", kTenant}, env_of({{"AZURE_CLIENT_SECRET", "x"}})).client_secret.empty());
}

TEST_CASE("Terraform variable names with --use-azurerm-env-vars", "[login_args]") {
    const auto env = env_of({{"ARM_TENANT_ID", "armtenant"},
                             {"ARM_CLIENT_ID", "arm-id"},
                             {"ARM_CLIENT_SECRET", "arm-secret"},
                             {"AZURE_TENANT_ID", "aztenant"},
                             {"AZURE_CLIENT_ID", "az-id"}});
    const auto s = parse({"-l", "spn", "--use-azurerm-env-vars"}, env);
    CHECK(s.tenant_id == "armtenant");
    CHECK(s.client_id == "arm-id");
    CHECK(s.client_secret == "arm-secret");
    const auto plain = parse({"-l", "spn", "--client-secret", "s"}, env);
    CHECK(plain.tenant_id == "aztenant");
    CHECK(plain.client_id == "az-id");
}

TEST_CASE("disable-environment-override ignores the environment", "[login_args]") {
    const auto env = env_of({{"AZURE_TENANT_ID", "envtenant"}, {"AAD_LOGIN_METHOD", "spn"}});
    CHECK(usage_error({"--disable-environment-override"}, env).rfind("--tenant-id is required for --login devicecode", 0) ==
          0);
    CHECK(parse({"--disable-environment-override", "-t", kTenant}, env).login_mode == "devicecode");
}

TEST_CASE("ropc environment", "[login_args]") {
    auto s = parse({"-l", "ropc", "-t", kTenant},
                   env_of({{"AAD_USER_PRINCIPAL_NAME", "aad@x"}, {"AAD_USER_PRINCIPAL_PASSWORD", "p1"},
                           {"AZURE_USERNAME", "az@x"}, {"AZURE_PASSWORD", "p2"}}));
    CHECK(s.username == "aad@x");
    CHECK(s.password == "p1");
    s = parse({"-l", "ropc", "-t", kTenant}, env_of({{"AZURE_USERNAME", "az@x"}, {"AZURE_PASSWORD", "p2"}}));
    CHECK(s.username == "az@x");
    CHECK(s.password == "p2");
    s = parse({"-l", "ropc", "-t", kTenant, "--username", "f@x", "--password", "pf"},
              env_of({{"AZURE_USERNAME", "az@x"}, {"AZURE_PASSWORD", "p2"}}));
    CHECK(s.username == "f@x");
    CHECK(s.password == "pf");
    CHECK(usage_error({"-l", "ropc", "-t", kTenant}).rfind("--username is required for --login ropc", 0) == 0);
}

TEST_CASE("workload identity environment", "[login_args]") {
    const auto env = env_of({{"AZURE_TENANT_ID", kTenant},
                             {"AZURE_CLIENT_ID", "wi"},
                             {"AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/token"},
                             {"AZURE_AUTHORITY_HOST", "https://login.microsoftonline.com/"}});
    auto s = parse({"-l", "workloadidentity"}, env);
    CHECK(s.client_id == "wi");
    CHECK(s.federated_token_file == "/var/run/secrets/token");
    CHECK(s.authority_host == "https://login.microsoftonline.com");
    s = parse({"-l", "workloadidentity", "--federated-token-file", "/f"}, env);
    CHECK(s.federated_token_file == "/f");
    // Not read for other modes.
    CHECK(parse({}, env).federated_token_file.empty());
    CHECK(usage_error({"-l", "workloadidentity", "-t", kTenant}) ==
          "--client-id is required for --login workloadidentity (or set AZURE_CLIENT_ID)");
}

TEST_CASE("msi takes --identity-resource-id and --client-id", "[login_args]") {
    const auto s = parse({"-l", "msi", "--identity-resource-id", "/subscriptions/x/id"});
    CHECK(s.identity_resource_id == "/subscriptions/x/id");
    CHECK(s.server_id == aks::kAksServerId);
}

TEST_CASE("environment and authority host", "[login_args]") {
    CHECK(parse({"-t", kTenant, "-e", "AzureUSGovernmentCloud"}).authority_host == "https://login.microsoftonline.us");
    CHECK(parse({"-t", kTenant, "--environment", "AzurePublicCloud"}).authority_host ==
          "https://login.microsoftonline.com");
    CHECK_THROWS_AS(parse({"-t", kTenant, "-e", "NoSuchCloud"}), UsageError);
    CHECK_THROWS_AS(parse({"-t", kTenant, "--authority-host", "http://insecure.test"}), UsageError);
    CHECK_THROWS_AS(parse({"-t", kTenant}, env_of({{"AZURE_AUTHORITY_HOST", "ftp://x"}})), UsageError);
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

TEST_CASE("azurecli keeps --subscription", "[login_args]") {
    CHECK(parse({"-l", "azurecli", "--subscription", "sub-1"}).subscription == "sub-1");
    CHECK(parse({"-l", "azurecli"}).subscription.empty());
}
