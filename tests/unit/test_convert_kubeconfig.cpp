#include "kubeconfig/convert_kubeconfig.h"

#include <catch2/catch.hpp>

#include "core/errors.h"
#include "kubeconfig/yaml_file.h"
#include "kubeconfig_test_util.h"

using namespace aks::kubeconfig;
using kctest::env_of;
using kctest::read_file;
using kctest::TempDir;
using kctest::write_file;

namespace {

using Args = std::vector<std::string>;
using EnvList = std::vector<std::pair<std::string, std::string>>;

const char* const kTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const char* const kServer = "6dae42f8-4368-4678-94ff-3960e28e3630";
const char* const kClient = "80faf920-1908-4b52-b5ef-a8e7bedfc67a";
// kubelogin's own tests use environment "foo", which its GetCloudConfiguration
// quietly turns into the public cloud; aks-token refuses unknown names, so
// these cases use a real one.
const char* const kEnv = "AzureChinaCloud";
const char* const kSp = "0b1d3c5e-7f90-4a2b-8c4d-6e8f0a1b2c3d";

const char* const kMixed = R"(apiVersion: v1
kind: Config
current-context: aks
preferences: {colors: true}
x-unknown-top: {keep: me}
clusters:
- name: c
  cluster: {server: https://c, extensions: [{name: e, extension: {v: "007"}}]}
contexts:
- {name: aks, context: {cluster: c, user: kl}}
- {name: old, context: {cluster: c, user: legacy}}
- {name: other, context: {cluster: c, user: static}}
users:
- name: kl
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubelogin
      args: [get-token, --environment, AzurePublicCloud, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630,
             --client-id, 80faf920-1908-4b52-b5ef-a8e7bedfc67a, --tenant-id, 72f988bf-86f1-41af-91ab-2d7cd011db47,
             --login, devicecode]
      env:
      - {name: HTTPS_PROXY, value: "http://proxy:3128"}
      provideClusterInfo: false
- name: legacy
  user:
    auth-provider:
      name: azure
      config: {apiserver-id: 6dae42f8-4368-4678-94ff-3960e28e3630, client-id: 80faf920-1908-4b52-b5ef-a8e7bedfc67a,
               tenant-id: 72f988bf-86f1-41af-91ab-2d7cd011db47, environment: AzurePublicCloud, config-mode: '1',
               access-token: old-token}
- name: static
  user: {token: "no", x-extra: "yes"}
)";

// ---- entries, shaped as kubelogin's convert_test.go builds them

// The legacy `auth-provider: azure` with the given config.
YAML::Node legacy(const std::map<std::string, std::string>& config) {
    YAML::Node user;
    user["auth-provider"]["name"] = "azure";
    YAML::Node cfg(YAML::NodeType::Map);
    for (const auto& [k, v] : config) cfg[k] = v;
    user["auth-provider"]["config"] = cfg;
    return user;
}
// kubelogin's full legacy config (config-mode "0" or "1").
YAML::Node legacy_full(const char* config_mode) {
    return legacy({{"environment", kEnv}, {"apiserver-id", kServer}, {"client-id", kClient}, {"tenant-id", kTenant},
                   {"config-mode", config_mode}});
}

YAML::Node exec_user(const std::string& command, const Args& args, const EnvList& env = {}) {
    YAML::Node user;
    user["exec"]["apiVersion"] = "client.authentication.k8s.io/v1beta1";
    user["exec"]["command"] = command;
    YAML::Node a(YAML::NodeType::Sequence);
    for (const auto& s : args) a.push_back(s);
    user["exec"]["args"] = a;
    if (!env.empty()) {
        YAML::Node e(YAML::NodeType::Sequence);
        for (const auto& [n, v] : env) {
            YAML::Node item;
            item["name"] = n;
            item["value"] = v;
            e.push_back(item);
        }
        user["exec"]["env"] = e;
    }
    return user;
}
YAML::Node kubelogin(const Args& args, const EnvList& env = {}) { return exec_user("kubelogin", args, env); }

// kubelogin's usual devicecode entry (convert_test.go "with exec format kubeconfig").
YAML::Node kl_devicecode() {
    return kubelogin({"get-token", "--server-id", kServer, "--client-id", kClient, "--tenant-id", kTenant,
                      "--environment", kEnv, "--login", "devicecode"});
}
YAML::Node kl_azurecli() {
    return kubelogin({"get-token", "--environment", kEnv, "--server-id", kServer, "--client-id", kClient, "--tenant-id",
                      kTenant, "--login", "azurecli"});
}

// ---- the harness: convert one user in a real file, as the command does

struct Outcome {
    Args args;            // the converted exec args (without "get-token")
    EnvList env;          // its env list
    std::vector<std::string> notes;
    std::string error;    // UsageError text
    bool file_unchanged = false;
    bool stable = false;  // converting the result again (no flags) changes nothing
};

EnvList env_list_of(const YAML::Node& exec) {
    EnvList out;
    if (exec["env"] && exec["env"].IsSequence()) {
        for (const auto& e : exec["env"]) out.emplace_back(e["name"].Scalar(), e["value"].Scalar());
    }
    return out;
}

Outcome convert(const YAML::Node& user, const Args& flags, const std::map<std::string, std::string>& env = {}) {
    YAML::Node root;
    root["apiVersion"] = "v1";
    root["kind"] = "Config";
    root["current-context"] = "aks1";
    for (const char* n : {"aks1"}) {
        YAML::Node cl, ctx, u;
        cl["name"] = n;
        cl["cluster"]["server"] = "https://anything.com:8080";
        root["clusters"].push_back(cl);
        ctx["name"] = n;
        ctx["context"]["cluster"] = n;
        ctx["context"]["user"] = n;
        root["contexts"].push_back(ctx);
        u["name"] = n;
        u["user"] = YAML::Clone(user);
        root["users"].push_back(u);
    }
    TempDir t;
    const std::string path = t.path + "/config";
    const std::string before = emit_yaml(root);
    write_file(path, before);

    Outcome o;
    try {
        ConvertOptions opts;
        std::vector<std::string> rest;
        opts.flags = aks::split_login_flags(flags, rest);
        REQUIRE(rest.empty());
        opts.env = env_of(env);
        const auto plans = plan_conversion(load(path, env_of({})), opts);
        REQUIRE(plans.size() == 1);
        REQUIRE(plans[0].users.size() == 1);
        o.notes = plans[0].users[0].notes;
        const std::string after = plans[0].changed ? plans[0].new_text : before;
        const YAML::Node exec = YAML::Load(after)["users"][0]["user"]["exec"];
        REQUIRE(exec["command"].as<std::string>() == "aks-token");
        for (const auto& a : exec["args"]) o.args.push_back(a.Scalar());
        REQUIRE(!o.args.empty());
        CHECK(o.args.front() == "get-token");
        o.args.erase(o.args.begin());
        o.env = env_list_of(exec);

        write_file(path, after);
        const auto again = plan_conversion(load(path, env_of({})), ConvertOptions{});
        o.stable = again.size() == 1 && !again[0].changed;
    } catch (const aks::UsageError& e) {
        o.error = e.what();
        o.file_unchanged = read_file(path) == before;
    }
    return o;
}

struct Case {
    const char* name;  // kubelogin's convert_test.go case it follows, or what aks-token adds
    YAML::Node user;
    Args flags;
    std::map<std::string, std::string> env;
    Args expect;         // exec args after get-token, in aks-token's order
    EnvList expect_env;  // the entry's env list afterwards
    std::string error;   // UsageError containing this instead
};

Args L(const char* mode) { return {"--login", mode, "--server-id", kServer}; }
Args operator+(Args a, const Args& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

void run_cases(const std::vector<Case>& cases) {
    for (const Case& c : cases) {
        INFO(c.name);
        const Outcome o = convert(c.user, c.flags, c.env);
        if (!c.error.empty()) {
            INFO(o.error);
            CHECK(o.error.find(c.error) != std::string::npos);
            CHECK(o.file_unchanged);
            continue;
        }
        INFO(o.error);
        CHECK(o.error.empty());
        CHECK(o.args == c.expect);
        CHECK(o.env == c.expect_env);
        CHECK(o.stable);
    }
}

}  // namespace

// Azure/kubelogin 66784961ef44 pkg/internal/converter/convert_test.go
// TestConvert, case by case (aks-token writes --login and --server-id first
// and the rest in its flag table's order; kubelogin compares as a set).
TEST_CASE("conversions from the legacy azure auth-provider, as kubelogin's converter tests", "[convert_kubeconfig]") {
    const std::string secret = "foosecret";
    run_cases({
        {"using legacy azure auth to convert to msi", legacy_full("0"), {"-l", "msi"}, {}, L("msi"), {}, ""},
        {"using legacy azure auth to convert to msi with client-id override", legacy_full("0"),
         {"-l", "msi", "--client-id", "msi-client-id"}, {}, L("msi") + Args{"--client-id", "msi-client-id"}, {}, ""},
        {"using legacy azure auth to convert to workload identity", legacy_full("0"), {"-l", "workloadidentity"}, {},
         L("workloadidentity"), {}, ""},
        {"using legacy azure auth to convert to workload identity with overrides", legacy_full("0"),
         {"-l", "workloadidentity", "--client-id", kSp, "--tenant-id", kTenant, "--authority-host",
          "https://login.microsoftonline.com/", "--federated-token-file", "/tmp/file"},
         {},
         L("workloadidentity") + Args{"--client-id", kSp, "--tenant-id", kTenant, "--authority-host",
                                      "https://login.microsoftonline.com/", "--federated-token-file", "/tmp/file"},
         {}, ""},
        {"using legacy azure auth to convert to spn without setting environment",
         legacy({{"apiserver-id", kServer}, {"client-id", kClient}, {"tenant-id", kTenant}, {"config-mode", "1"}}),
         {"-l", "spn", "--client-id", kSp}, {}, L("spn") + Args{"--client-id", kSp, "--tenant-id", kTenant}, {}, ""},
        {"using legacy azure auth to convert to spn with clientSecret", legacy_full("1"),
         {"-l", "spn", "--client-id", kSp, "--client-secret", secret}, {},
         L("spn") + Args{"--client-id", kSp, "--tenant-id", kTenant, "--environment", kEnv, "--client-secret", secret},
         {}, ""},
        {"using legacy azure auth to convert to spn with clientCert", legacy_full("1"),
         {"-l", "spn", "--client-id", kSp, "--client-certificate", "/tmp/clientcert"}, {},
         L("spn") + Args{"--client-id", kSp, "--tenant-id", kTenant, "--environment", kEnv, "--client-certificate",
                         "/tmp/clientcert"},
         {}, ""},
        {"using legacy azure auth to convert to spn with password-protected clientCert", legacy_full("1"),
         {"-l", "spn", "--client-id", kSp, "--client-certificate", "/tmp/clientcert", "--client-certificate-password",
          "clientcertsecret"},
         {},
         L("spn") + Args{"--client-id", kSp, "--tenant-id", kTenant, "--environment", kEnv, "--client-certificate",
                         "/tmp/clientcert", "--client-certificate-password", "clientcertsecret"},
         {}, ""},
        {"using legacy azure auth to convert to ropc", legacy_full("1"), {"-l", "ropc"}, {},
         L("ropc") + Args{"--client-id", kClient, "--tenant-id", kTenant, "--environment", kEnv}, {}, ""},
        {"using legacy azure auth to convert to ropc with username and password", legacy_full("1"),
         {"-l", "ropc", "--username", "foo123", "--password", "foobar"}, {},
         L("ropc") + Args{"--client-id", kClient, "--tenant-id", kTenant, "--environment", kEnv, "--username", "foo123",
                          "--password", "foobar"},
         {}, ""},
        {"using legacy azure auth to convert to azurecli", legacy_full("1"), {"-l", "azurecli"}, {}, L("azurecli"), {}, ""},
        {"using legacy azure auth to convert to azd", legacy_full("1"), {"-l", "azd"}, {}, L("azd"), {}, ""},
        {"using legacy azure auth to convert to azurecli with --tenant-id override", legacy_full("1"),
         {"-l", "azurecli", "--tenant-id", kTenant}, {}, L("azurecli") + Args{"--tenant-id", kTenant}, {}, ""},
        {"using legacy azure auth to convert to azd with --tenant-id override", legacy_full("1"),
         {"-l", "azd", "--tenant-id", kTenant}, {}, L("azd") + Args{"--tenant-id", kTenant}, {}, ""},
        {"using legacy azure auth to convert to azurecli with --token-cache-dir override", legacy_full("1"),
         {"-l", "azurecli", "--token-cache-dir", "/tmp/token_dir"}, {}, L("azurecli") + Args{"--cache-dir", "/tmp/token_dir"},
         {}, ""},
        {"using legacy azure auth to convert to devicecode with redundant arguments", legacy_full("0"),
         {"--environment", kEnv, "--server-id", kServer, "--client-id", kClient, "--tenant-id", kTenant,
          "--client-secret", secret, "--client-certificate", "/tmp/clientcert", "--client-certificate-password", "x",
          "--username", "foo123", "--password", "foobar", "--login", "devicecode"},
         {},
         L("devicecode") + Args{"--client-id", kClient, "--tenant-id", kTenant, "--environment", kEnv, "--legacy"}, {},
         ""},
        {"using legacy azure auth with configMode: \"1\" to convert to devicecode with --legacy",
         legacy({{"config-mode", "1"}}),
         {"--environment", kEnv, "--server-id", kServer, "--client-id", kClient, "--tenant-id", kTenant, "--login",
          "devicecode", "--legacy=true"},
         {}, L("devicecode") + Args{"--client-id", kClient, "--tenant-id", kTenant, "--environment", kEnv, "--legacy"},
         {}, ""},
        {"using legacy azure auth to convert without --login should default to devicecode",
         legacy({{"environment", kEnv}, {"apiserver-id", kServer}, {"client-id", kClient}, {"tenant-id", kTenant}}), {},
         {}, L("devicecode") + Args{"--client-id", kClient, "--tenant-id", kTenant, "--environment", kEnv, "--legacy"},
         {}, ""},
        {"using legacy azure auth with configMode: \"0\" to convert without --login should default to devicecode",
         legacy_full("0"), {}, {},
         L("devicecode") + Args{"--client-id", kClient, "--tenant-id", kTenant, "--environment", kEnv, "--legacy"}, {},
         ""},
        {"using legacy azure auth with configMode: \"1\" to convert without --login should result in devicecode without "
         "--legacy",
         legacy_full("1"), {}, {}, L("devicecode") + Args{"--client-id", kClient, "--tenant-id", kTenant, "--environment", kEnv},
         {}, ""},
        {"with --azure-config-dir specified, exec.Env should be set accordingly", legacy_full("0"),
         {"-l", "azurecli", "--azure-config-dir", "/tmp/foo"}, {}, L("azurecli"), {{"AZURE_CONFIG_DIR", "/tmp/foo"}}, ""},
    });
}

TEST_CASE("conversions from kubelogin exec entries, as kubelogin's converter tests", "[convert_kubeconfig]") {
    const Args dc_identity = {"--client-id", kClient, "--tenant-id", kTenant, "--environment", kEnv};
    run_cases({
        {"with exec format kubeconfig, convert from azurecli to azurecli", kl_azurecli(), {"-l", "azurecli"}, {},
         L("azurecli"), {}, ""},
        {"with exec format kubeconfig, convert from azurecli to azurecli with --tenant-id", kl_azurecli(),
         {"-l", "azurecli", "--tenant-id", kTenant}, {}, L("azurecli") + Args{"--tenant-id", kTenant}, {}, ""},
        {"with exec format kubeconfig, convert from azurecli to azurecli with --subscription", kl_azurecli(),
         {"-l", "azurecli", "--subscription", "subscriptionID"}, {}, L("azurecli") + Args{"--subscription", "subscriptionID"},
         {}, ""},
        {"with exec format kubeconfig, convert from azurecli to azurecli, with envName as overrides",
         kubelogin({"get-token", "--server-id", kServer, "--client-id", kClient, "--tenant-id", kTenant, "--login",
                    "azurecli"}),
         {"-l", "azurecli", "--environment", kEnv}, {}, L("azurecli"), {}, ""},
        {"with exec format kubeconfig, convert from azurecli to azurecli, with args as overrides", kubelogin({"get-token"}),
         {"-l", "azurecli", "--server-id", kServer, "--client-id", kClient, "--tenant-id", kTenant, "--environment", kEnv},
         {}, L("azurecli") + Args{"--tenant-id", kTenant}, {}, ""},
        {"with exec format kubeconfig, convert from azurecli to devicecode",
         kubelogin({"get-token", "--server-id", kServer, "--login", "azurecli"}),
         {"--client-id", kClient, "--tenant-id", kTenant, "--login", "devicecode"}, {},
         L("devicecode") + Args{"--client-id", kClient, "--tenant-id", kTenant}, {}, ""},
        {"with exec format kubeconfig, convert from azurecli to devicecode, with args as overrides",
         kubelogin({"get-token", "--login", "azurecli"}),
         {"--login", "devicecode", "--server-id", kServer, "--client-id", kClient, "--tenant-id", kTenant, "--environment",
          kEnv},
         {}, L("devicecode") + dc_identity, {}, ""},
        {"with exec format kubeconfig, convert from devicecode to devicecode without override", kl_devicecode(), {}, {},
         L("devicecode") + dc_identity, {}, ""},
        {"with exec format kubeconfig, convert from devicecode to devicecode with --legacy", kl_devicecode(),
         {"--legacy=true"}, {}, L("devicecode") + dc_identity + Args{"--legacy"}, {}, ""},
        {"with exec format kubeconfig using devicecode and --legacy, convert to devicecode should still have --legacy",
         kubelogin({"get-token", "--server-id", kServer, "--client-id", kClient, "--tenant-id", kTenant, "--environment",
                    kEnv, "--login", "devicecode", "--legacy"}),
         {"--login", "devicecode"}, {}, L("devicecode") + dc_identity + Args{"--legacy"}, {}, ""},
        {"with exec format kubeconfig, convert from devicecode to azurecli", kl_devicecode(), {"-l", "azurecli"}, {},
         L("azurecli"), {}, ""},
        {"with exec format kubeconfig, convert from devicecode to azurecli with --token-cache-dir override",
         kl_devicecode(), {"-l", "azurecli", "--token-cache-dir", "/tmp/token_dir"}, {},
         L("azurecli") + Args{"--cache-dir", "/tmp/token_dir"}, {}, ""},
        {"with exec format kubeconfig, convert from devicecode to azurecli with --cache-dir",
         kubelogin({"get-token", "--server-id", kServer, "--client-id", kClient, "--tenant-id", kTenant, "--environment",
                    kEnv, "--login", "devicecode", "--cache-dir", "/tmp/token_dir"}),
         {"-l", "azurecli"}, {}, L("azurecli") + Args{"--cache-dir", "/tmp/token_dir"}, {}, ""},
        {"with exec format kubeconfig, convert from devicecode to azurecli with --cache-dir override", kl_devicecode(),
         {"-l", "azurecli", "--cache-dir", "/tmp/token_dir"}, {}, L("azurecli") + Args{"--cache-dir", "/tmp/token_dir"},
         {}, ""},
        {"with exec format kubeconfig already having --token-cache-dir, convert from devicecode to azurecli",
         kubelogin({"get-token", "--server-id", kServer, "--client-id", kClient, "--tenant-id", kTenant,
                    "--token-cache-dir", "/tmp/token_dir", "--environment", kEnv, "--login", "devicecode"}),
         {"-l", "azurecli"}, {}, L("azurecli") + Args{"--cache-dir", "/tmp/token_dir"}, {}, ""},
        {"with exec format kubeconfig, convert from devicecode to spn", kl_devicecode(), {"-l", "spn"}, {},
         L("spn") + dc_identity, {}, ""},
        {"with exec format kubeconfig, convert from devicecode to spn without setting environment",
         kubelogin({"get-token", "--server-id", kServer, "--client-id", kClient, "--tenant-id", kTenant, "--login",
                    "devicecode"}),
         {"-l", "spn"}, {}, L("spn") + Args{"--client-id", kClient, "--tenant-id", kTenant}, {}, ""},
        {"with exec format kubeconfig, convert from devicecode to spn with clientID", kl_devicecode(),
         {"-l", "spn", "--client-id", kSp}, {}, L("spn") + Args{"--client-id", kSp, "--tenant-id", kTenant, "--environment", kEnv},
         {}, ""},
        {"with exec format kubeconfig, convert from devicecode to spn with --legacy", kl_devicecode(),
         {"-l", "spn", "--client-id", kSp, "--legacy=true"}, {},
         L("spn") + Args{"--client-id", kSp, "--tenant-id", kTenant, "--environment", kEnv, "--legacy"}, {}, ""},
        {"with exec format kubeconfig, convert from devicecode to msi", kl_devicecode(), {"-l", "msi"}, {}, L("msi"), {},
         ""},
        {"with exec format kubeconfig, convert from devicecode to msi with clientID override", kl_devicecode(),
         {"-l", "msi", "--client-id", kSp}, {}, L("msi") + Args{"--client-id", kSp}, {}, ""},
        {"with exec format kubeconfig, convert from devicecode to msi with identity-resource-id override",
         kl_devicecode(), {"-l", "msi", "--identity-resource-id", "/msi/resource/id"}, {},
         L("msi") + Args{"--identity-resource-id", "/msi/resource/id"}, {}, ""},
        {"with exec format kubeconfig, convert from devicecode to ropc", kl_devicecode(), {"-l", "ropc"}, {},
         L("ropc") + dc_identity, {}, ""},
        {"with exec format kubeconfig, convert from devicecode to ropc with --legacy", kl_devicecode(),
         {"-l", "ropc", "--legacy=true"}, {}, L("ropc") + dc_identity + Args{"--legacy"}, {}, ""},
        {"with exec format kubeconfig, convert from devicecode to ropc with username and password", kl_devicecode(),
         {"-l", "ropc", "--username", "foo123", "--password", "foobar"}, {},
         L("ropc") + dc_identity + Args{"--username", "foo123", "--password", "foobar"}, {}, ""},
        {"with exec format kubeconfig, convert from devicecode to workload identity", kl_devicecode(),
         {"-l", "workloadidentity"}, {}, L("workloadidentity"), {}, ""},
        {"with exec format kubeconfig, convert from devicecode to workload identity with override", kl_devicecode(),
         {"-l", "workloadidentity", "--client-id", kSp, "--tenant-id", kTenant, "--authority-host",
          "https://login.microsoftonline.com/", "--federated-token-file", "/tmp/file"},
         {},
         L("workloadidentity") + Args{"--client-id", kSp, "--tenant-id", kTenant, "--authority-host",
                                      "https://login.microsoftonline.com/", "--federated-token-file", "/tmp/file"},
         {}, ""},
        {"with exec format kubeconfig, convert from devicecode to interactive", kl_devicecode(), {"-l", "interactive"},
         {}, L("interactive") + dc_identity, {}, ""},
        {"with exec format kubeconfig, convert from devicecode to interactive with redirect url override",
         kl_devicecode(), {"-l", "interactive", "--redirect-url", "http://localhost:8000"}, {},
         L("interactive") + dc_identity + Args{"--redirect-url", "http://localhost:8000"}, {}, ""},
        {"with exec format kubeconfig, convert from devicecode to interactive with login hint override",
         kl_devicecode(), {"-l", "interactive", "--login-hint", "username"}, {},
         L("interactive") + dc_identity + Args{"--login-hint", "username"}, {}, ""},
        {"test with exec format kubeconfig, convert from devicecode to spn with environment override flag disabled.",
         kl_devicecode(), {"-l", "spn", "--disable-environment-override"}, {},
         L("spn") + dc_identity + Args{"--disable-environment-override"}, {}, ""},
    });
}

// Where aks-token follows kubelogin's get-token rather than its converter, or
// differs on purpose (README "Differences from Azure/kubelogin").
TEST_CASE("conversions aks-token adds or decides differently", "[convert_kubeconfig]") {
    const Args dc_identity = {"--client-id", kClient, "--tenant-id", kTenant, "--environment", kEnv};
    run_cases({
        // kubelogin's converter applies AAD_LOGIN_METHOD after -l (options.go UpdateFromEnv).
        {"AAD_LOGIN_METHOD chooses the mode", kl_devicecode(), {}, {{"AAD_LOGIN_METHOD", "azurecli"}}, L("azurecli"), {},
         ""},
        {"AAD_LOGIN_METHOD beats -l", kl_devicecode(), {"-l", "azurecli"}, {{"AAD_LOGIN_METHOD", "msi"}}, L("msi"), {},
         ""},
        {"--disable-environment-override: -l wins and the flag is kept", kl_devicecode(),
         {"-l", "azurecli", "--disable-environment-override"}, {{"AAD_LOGIN_METHOD", "msi"}},
         L("azurecli") + Args{"--disable-environment-override"}, {}, ""},
        // Without -l kubelogin writes devicecode; aks-token keeps each entry's
        // mode and every flag it reads, so only the command changes.
        {"no -l keeps a kubelogin msi entry as it is",
         kubelogin({"get-token", "--server-id", kServer, "--client-id", kSp, "--login", "msi"}), {}, {},
         L("msi") + Args{"--client-id", kSp}, {}, ""},
        {"no -l keeps a kubelogin spn entry, secret included",
         kubelogin({"get-token", "--server-id", kServer, "--client-id", kSp, "--tenant-id", kTenant, "--client-secret",
                    "s3", "--login", "spn"}),
         {}, {}, L("spn") + Args{"--client-id", kSp, "--tenant-id", kTenant, "--client-secret", "s3"}, {}, ""},
        {"-l spn re-derives the entry as kubelogin does: the old secret is not kept",
         kubelogin({"get-token", "--server-id", kServer, "--client-id", kSp, "--tenant-id", kTenant, "--client-secret",
                    "s3", "--login", "spn"}),
         {"-l", "spn"}, {}, L("spn") + Args{"--client-id", kSp, "--tenant-id", kTenant}, {}, ""},
        {"no -l keeps a workloadidentity entry's flags",
         kubelogin({"get-token", "--server-id", kServer, "--login", "workloadidentity", "--federated-token-file", "/f"}),
         {}, {}, L("workloadidentity") + Args{"--federated-token-file", "/f"}, {}, ""},
        {"no -l keeps an azurecli entry's tenant (az already runs with it)", kl_azurecli(), {}, {},
         L("azurecli") + Args{"--tenant-id", kTenant}, {}, ""},
        {"the entry's --login comes from its env list when its args have none",
         kubelogin({"get-token", "--server-id", kServer}, {{"AAD_LOGIN_METHOD", "azurecli"}}), {}, {}, L("azurecli"),
         {{"AAD_LOGIN_METHOD", "azurecli"}}, ""},
        // Flags for another mode are not written.
        {"secrets given for another mode are not written", kl_devicecode(),
         {"-l", "devicecode", "--client-secret", "s", "--password", "p", "--username", "u"}, {},
         L("devicecode") + dc_identity, {}, ""},
        {"-s is --subscription", kl_devicecode(), {"-l", "azurecli", "-s", "sub-1"}, {},
         L("azurecli") + Args{"--subscription", "sub-1"}, {}, ""},
        {"--azure-config-dir replaces an AZURE_CONFIG_DIR already in the env list",
         kubelogin({"get-token", "--server-id", kServer, "--login", "azurecli"},
                   {{"HTTPS_PROXY", "http://p:3128"}, {"AZURE_CONFIG_DIR", "/old"}}),
         {"--azure-config-dir", "/new"}, {}, L("azurecli"), {{"HTTPS_PROXY", "http://p:3128"}, {"AZURE_CONFIG_DIR", "/new"}},
         ""},
        {"--azure-config-dir for another mode is not written", kl_devicecode(), {"--azure-config-dir", "/new"}, {},
         L("devicecode") + dc_identity, {}, ""},
        // kubelogin writes --authority-host for workloadidentity only, though
        // get-token reads it in every Entra mode; aks-token keeps it.
        {"--authority-host for devicecode is written", kl_devicecode(), {"--authority-host", "https://idp.test"}, {},
         L("devicecode") + dc_identity + Args{"--authority-host", "https://idp.test"}, {}, ""},
        {"--timeout is written and kept", kl_devicecode(), {"--timeout", "5m"}, {},
         L("devicecode") + dc_identity + Args{"--timeout", "5m"}, {}, ""},
        {"-v N in the old args is kept",
         kubelogin({"get-token", "--server-id", kServer, "--login", "azurecli", "-v", "4"}), {}, {},
         L("azurecli") + Args{"-v", "4"}, {}, ""},
        {"an earlier aks-token entry is converted in place",
         exec_user("aks-token", {"get-token", "--login", "azd", "--server-id", kServer, "--tenant-id", kTenant}), {}, {},
         L("azd") + Args{"--tenant-id", kTenant}, {}, ""},
        {"a generic OIDC device code entry keeps its issuer",
         kubelogin({"get-token", "--login", "devicecode", "--server-id", kServer, "--client-id", "kubectl",
                    "--oidc-issuer-url", "https://dex.example.com", "--oidc-extra-scope", "groups"}),
         {}, {},
         L("devicecode") + Args{"--client-id", "kubectl", "--oidc-issuer-url", "https://dex.example.com",
                                "--oidc-extra-scope", "groups"},
         {}, ""},
        {"msi with --identity-object-id (aks-token's own flag)", kl_devicecode(),
         {"-l", "msi", "--identity-object-id", "0c1d2e3f-0000-4000-8000-00000000a2c1"}, {},
         L("msi") + Args{"--identity-object-id", "0c1d2e3f-0000-4000-8000-00000000a2c1"}, {}, ""},
    });
}

TEST_CASE("conversions refused: one line, nothing written", "[convert_kubeconfig]") {
    run_cases({
        // kubelogin's Validate (options.go) and converter refusals.
        {"an authority host that is not https", kl_devicecode(), {"--authority-host", "http://insecure.test"}, {}, {}, {},
         "--authority-host must be an https URL"},
        {"a zero timeout (options.go: timeout must be greater than 0)", kl_devicecode(), {"--timeout", "0s"}, {}, {}, {},
         "--timeout '0s' is not a positive duration"},
        {"a login mode kubelogin does not know", kl_devicecode(), {"-l", "magic"}, {}, {}, {}, "-l 'magic' is not a login mode"},
        {"the azurepipelines mode", kl_devicecode(), {"-l", "azurepipelines"}, {}, {}, {},
         "azurepipelines is not supported by aks-token"},
        {"a bad AAD_LOGIN_METHOD", kl_devicecode(), {}, {{"AAD_LOGIN_METHOD", "bogus"}}, {}, {},
         "AAD_LOGIN_METHOD 'bogus' is not a login mode"},
        {"devicecode without a tenant (convert.go: --tenant-id is required)",
         legacy({{"apiserver-id", kServer}, {"client-id", kClient}}), {"-l", "devicecode"}, {}, {}, {},
         "user 'aks1': --tenant-id is required for --login devicecode: the entry has none; give --tenant-id"},
        {"spn without a client id (convert.go: --client-id is required)", legacy({{"tenant-id", kTenant}}),
         {"-l", "spn"}, {}, {}, {}, "user 'aks1': --client-id is required for --login spn"},
        {"a tenant that is not one", kl_devicecode(), {"-t", "a/b"}, {}, {}, {}, "is not a tenant id or domain name"},
        {"an unknown cloud (aks-token; kubelogin quietly uses the public cloud)", kl_devicecode(), {"-e", "NoSuchCloud"},
         {}, {}, {}, "unknown --environment"},
        {"a bad redirect URL", kl_devicecode(), {"-l", "interactive", "--redirect-url", "https://x.test/"}, {}, {}, {},
         "--redirect-url must be an http URL on localhost"},
        {"a bad value is refused even for a flag the mode does not read", kl_devicecode(),
         {"-l", "azurecli", "--authority-host", "ftp://x"}, {}, {}, {}, "--authority-host must be an https URL"},
        // PoP: refused in every mode, from the command line or the entry.
        {"PoP in the old entry (kubelogin converts it for interactive)",
         kubelogin({"get-token", "--server-id", kServer, "--client-id", kClient, "--tenant-id", kTenant, "--login",
                    "devicecode", "--pop-enabled", "--pop-claims", "u=testhost"}),
         {"-l", "interactive"}, {}, {}, {}, "user 'aks1': --pop-enabled is not supported by aks-token"},
        {"PoP in the old entry, converting to a mode kubelogin would drop it for",
         kubelogin({"get-token", "--server-id", kServer, "--login", "azurecli", "--pop-claims", "u=testhost"}),
         {"-l", "devicecode", "--client-id", kClient, "--tenant-id", kTenant}, {}, {}, {},
         "user 'aks1': --pop-claims is not supported by aks-token"},
        {"an entry whose args get-token would refuse", kubelogin({"get-token", "--server-id", kServer, "--foo"}), {}, {},
         {}, {}, "user 'aks1': unknown flag --foo"},
        {"an entry with a stray argument", kubelogin({"get-token", "--login", "azd", "extra"}), {}, {}, {}, {},
         "user 'aks1': its exec args have 'extra'"},
        {"an env list whose AAD_LOGIN_METHOD would override the new --login",
         kubelogin({"get-token", "--login", "azurecli"}, {{"AAD_LOGIN_METHOD", "azurecli"}}), {"-l", "msi"}, {}, {}, {},
         "its env list sets AAD_LOGIN_METHOD=azurecli, which would override --login msi"},
        {"an empty --server-id in the entry", kubelogin({"get-token", "--server-id", "", "--login", "azd"}), {}, {}, {},
         {}, "--server-id is empty"},
    });
}

TEST_CASE("PoP flags on convert-kubeconfig's command line are refused by name", "[convert_kubeconfig]") {
    std::vector<std::string> rest;
    CHECK_THROWS_WITH(aks::split_login_flags({"-l", "interactive", "--pop-enabled"}, rest),
                      "--pop-enabled is not supported by aks-token (proof-of-possession tokens are not implemented; "
                      "use kubelogin for Azure Arc clusters)");
    CHECK_THROWS_WITH(aks::split_login_flags({"--pop-claims", "u=x"}, rest), Catch::StartsWith("--pop-claims is not supported"));
}

TEST_CASE("notes say what was left out and warn about secrets, never showing one", "[convert_kubeconfig]") {
    Outcome o = convert(kl_devicecode(), {"-l", "msi"});
    REQUIRE(o.notes.size() == 2);
    CHECK(o.notes[0] == "user 'aks1': --login msi does not read --tenant-id, --environment; not written");
    CHECK(o.notes[1] ==
          "user 'aks1': --login msi does not keep --client-id of the old entry (as kubelogin); give them again to keep them");

    o = convert(kl_devicecode(), {"--client-secret", "TOPSECRET", "--username", "u"});
    REQUIRE(o.notes.size() == 1);
    CHECK(o.notes[0] == "user 'aks1': --login devicecode does not read --client-secret, --username; not written");
    // Flags of the old entry that the new mode does not read are named too, never their values.
    o = convert(kubelogin({"get-token", "--login", "spn", "--client-id", kSp, "-t", kTenant, "--client-secret",
                           "TOPSECRET"}),
                {"-l", "devicecode"});
    REQUIRE(o.notes.size() == 1);
    CHECK(o.notes[0] == "user 'aks1': --login devicecode does not read --client-secret; not written");

    o = convert(kl_devicecode(), {"-l", "spn", "--client-secret", "TOPSECRET", "--client-certificate-password", "PW2"});
    REQUIRE(o.notes.size() == 1);
    CHECK(o.notes[0] ==
          "user 'aks1': warning: written into the kubeconfig in plain text: --client-secret (prefer "
          "AAD_SERVICE_PRINCIPAL_CLIENT_SECRET), --client-certificate-password (prefer "
          "AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE_PASSWORD); kubelogin documents these environment variables instead");
    o = convert(kl_devicecode(), {"-l", "ropc", "--password", "TOPSECRET"});
    REQUIRE(o.notes.size() == 1);
    CHECK(o.notes[0].find("--password (prefer AAD_USER_PRINCIPAL_PASSWORD)") != std::string::npos);

    o = convert(kl_devicecode(), {"-l", "azurecli"}, {{"AAD_LOGIN_METHOD", "azd"}});
    CHECK(o.notes.at(0) == "user 'aks1': AAD_LOGIN_METHOD=azd overrides -l azurecli, as in kubelogin "
                           "(--disable-environment-override ignores it)");
    for (const auto& n : o.notes) CHECK(n.find("TOPSECRET") == std::string::npos);
}

TEST_CASE("plan_conversion rewrites AKS users only and keeps every other field") {
    TempDir t;
    const std::string path = t.path + "/config";
    write_file(path, kMixed);
    const auto plans = plan_conversion(load(path, env_of({})), ConvertOptions{});
    REQUIRE(plans.size() == 1);
    REQUIRE(plans[0].changed);
    REQUIRE(plans[0].users.size() == 2);
    CHECK(plans[0].users[0].kind == UserKind::Kubelogin);
    CHECK(plans[0].users[1].kind == UserKind::LegacyAzure);

    const YAML::Node out = YAML::Load(plans[0].new_text);
    CHECK(out["x-unknown-top"]["keep"].as<std::string>() == "me");
    CHECK(out["preferences"]["colors"].as<std::string>() == "true");
    CHECK(out["clusters"][0]["cluster"]["extensions"][0]["extension"]["v"].as<std::string>() == "007");
    const YAML::Node kl = out["users"][0]["user"]["exec"];
    CHECK(kl["command"].as<std::string>() == "aks-token");
    CHECK(kl["apiVersion"].as<std::string>() == "client.authentication.k8s.io/v1");
    CHECK(kl["interactiveMode"].as<std::string>() == "IfAvailable");
    CHECK_FALSE(kl["installHint"].as<std::string>().empty());
    CHECK(kl["env"][0]["value"].as<std::string>() == "http://proxy:3128");
    CHECK(kl["provideClusterInfo"].as<std::string>() == "false");
    const YAML::Node legacy_out = out["users"][1]["user"];
    CHECK_FALSE(legacy_out["auth-provider"]);
    CHECK(legacy_out["exec"]["command"].as<std::string>() == "aks-token");
    CHECK(plans[0].new_text.find("old-token") == std::string::npos);
    // The static user and its YAML 1.1-sensitive strings are untouched.
    CHECK(plans[0].new_text.find("token: \"no\"") != std::string::npos);
    CHECK(plans[0].new_text.find("x-extra: \"yes\"") != std::string::npos);
    CHECK(read_file(path) == kMixed);  // planning writes nothing

    // Converting the result again changes nothing.
    write_file(path, plans[0].new_text);
    const auto again = plan_conversion(load(path, env_of({})), ConvertOptions{});
    REQUIRE(again.size() == 1);
    CHECK_FALSE(again[0].changed);
    CHECK(again[0].new_text.empty());
}

TEST_CASE("plan_conversion with a context converts only its user, in the file that defined it") {
    TempDir t;
    write_file(t.path + "/a", R"(users:
- name: kl
  user: {exec: {command: kubelogin, args: [get-token, --login, azurecli]}}
)");
    write_file(t.path + "/b", kMixed);
    const Kubeconfig kc = load(std::nullopt, env_of({{"KUBECONFIG", t.path + "/a:" + t.path + "/b"}}));
    ConvertOptions o;
    o.context = "aks";
    const auto plans = plan_conversion(kc, o);
    REQUIRE(plans.size() == 1);
    CHECK(plans[0].path == t.path + "/a");
    REQUIRE(plans[0].users.size() == 1);
    CHECK(plans[0].users[0].name == "kl");

    o.context = "other";
    CHECK_THROWS_WITH(plan_conversion(kc, o), Catch::Contains("'static' is not an AKS user"));
    o.context = "missing";
    CHECK_THROWS_WITH(plan_conversion(kc, o), Catch::Contains("context 'missing' is not in"));
}

TEST_CASE("one bad user stops the whole plan", "[convert_kubeconfig]") {
    TempDir t;
    write_file(t.path + "/config", R"(users:
- name: good
  user: {exec: {command: kubelogin, args: [get-token, --login, azurecli]}}
- name: bad
  user: {exec: {command: kubelogin, args: [get-token, --login, devicecode]}}
)");
    CHECK_THROWS_WITH(plan_conversion(load(t.path + "/config", env_of({})), ConvertOptions{}),
                      Catch::StartsWith("user 'bad': --tenant-id is required"));
}

TEST_CASE("the --command option names the program written into the entry", "[convert_kubeconfig]") {
    TempDir t;
    write_file(t.path + "/config", kMixed);
    ConvertOptions o;
    o.command = "/opt/aks-auth/bin/aks-token";
    const auto plans = plan_conversion(load(t.path + "/config", env_of({})), o);
    const YAML::Node out = YAML::Load(plans.at(0).new_text);
    CHECK(out["users"][0]["user"]["exec"]["command"].as<std::string>() == "/opt/aks-auth/bin/aks-token");
}
