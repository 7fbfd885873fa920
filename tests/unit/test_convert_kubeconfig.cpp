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

const char* const kTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const char* const kServer = "6dae42f8-4368-4678-94ff-3960e28e3630";

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

User user_named(const Kubeconfig& kc, const std::string& name) {
    const User* u = kc.find_user(name);
    REQUIRE(u != nullptr);
    return *u;
}

}  // namespace

TEST_CASE("legacy azure auth-provider → aks-token args of the same identity") {
    const Kubeconfig kc = parse(kMixed, "/k");
    const auto args = converted_args(user_named(kc, "legacy"), ConvertOptions{});
    CHECK(args == std::vector<std::string>{"get-token", "--login", "devicecode", "--environment", "AzurePublicCloud",
                                           "--server-id", kServer, "--client-id", "80faf920-1908-4b52-b5ef-a8e7bedfc67a",
                                           "--tenant-id", kTenant});
}

TEST_CASE("kubelogin args are carried over; explicit flags win; -l switches mode") {
    const Kubeconfig kc = parse(kMixed, "/k");
    const User kl = user_named(kc, "kl");
    CHECK(converted_args(kl, ConvertOptions{}) == kl.exec->args);

    ConvertOptions o;
    std::vector<std::string> rest;
    o.flags = aks::split_login_flags({"--tenant-id=contoso.example", "--cache-dir", "/cache"}, rest);
    const auto args = converted_args(kl, o);
    CHECK(args == std::vector<std::string>{"get-token", "--environment", "AzurePublicCloud", "--server-id", kServer,
                                           "--client-id", "80faf920-1908-4b52-b5ef-a8e7bedfc67a", "--tenant-id",
                                           "contoso.example", "--login", "devicecode", "--cache-dir", "/cache"});

    // azurecli takes no client id: the devicecode client id is dropped.
    ConvertOptions cli;
    cli.login_mode = "azurecli";
    CHECK(converted_args(kl, cli) == std::vector<std::string>{"get-token", "--environment", "AzurePublicCloud",
                                                              "--server-id", kServer, "--tenant-id", kTenant, "--login",
                                                              "azurecli"});
    ConvertOptions bad;
    bad.login_mode = "magic";
    CHECK_THROWS_WITH(converted_args(kl, bad), Catch::Contains("not a login mode"));
}

TEST_CASE("an exec entry with an unsupported kubelogin flag cannot be converted") {
    const Kubeconfig kc = parse(R"(users:
- name: pop
  user: {exec: {command: kubelogin, args: [get-token, --pop-enabled, --login, azurecli]}})",
                                "/k");
    CHECK_THROWS_WITH(converted_args(user_named(kc, "pop"), ConvertOptions{}),
                      Catch::Contains("user 'pop'") && Catch::Contains("--pop-enabled"));
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
    const YAML::Node legacy = out["users"][1]["user"];
    CHECK_FALSE(legacy["auth-provider"]);
    CHECK(legacy["exec"]["command"].as<std::string>() == "aks-token");
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

TEST_CASE("the --command option names the program written into the entry", "[convert_kubeconfig]") {
    TempDir t;
    write_file(t.path + "/config", kMixed);
    ConvertOptions o;
    o.command = "/opt/aks-auth/bin/aks-token";
    const auto plans = plan_conversion(load(t.path + "/config", env_of({})), o);
    const YAML::Node out = YAML::Load(plans.at(0).new_text);
    CHECK(out["users"][0]["user"]["exec"]["command"].as<std::string>() == "/opt/aks-auth/bin/aks-token");
}
