#include "kubeconfig/kubeconfig.h"

#include <catch2/catch.hpp>

#include "core/errors.h"
#include "kubeconfig_test_util.h"

using namespace aks::kubeconfig;
using kctest::env_of;
using kctest::TempDir;
using kctest::write_file;

namespace {

const char* const kFull = R"(apiVersion: v1
kind: Config
current-context: aks
clusters:
- name: aks
  cluster:
    server: https://aks.example:443
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=
    tls-server-name: kubernetes
    proxy-url: http://proxy.example:3128
- name: lab
  cluster:
    server: https://10.0.0.5:6443
    certificate-authority: ca/lab.crt
    insecure-skip-tls-verify: true
contexts:
- name: aks
  context: {cluster: aks, user: u1, namespace: team}
users:
- name: u1
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubelogin
      args: [get-token, --login, azurecli]
      env:
      - name: A
        value: "1"
      installHint: |
        install it
      interactiveMode: IfAvailable
- name: u2
  user:
    auth-provider:
      name: azure
      config: {tenant-id: t, config-mode: '1'}
- name: u3
  user:
    token: abc
)";

}  // namespace

TEST_CASE("parse reads clusters, users and contexts") {
    const Kubeconfig kc = parse(kFull, "/home/me/.kube/config");
    CHECK(kc.current_context == "aks");
    REQUIRE(kc.clusters.size() == 2);
    const Cluster* aks = kc.find_cluster("aks");
    REQUIRE(aks != nullptr);
    CHECK(aks->server == "https://aks.example:443");
    CHECK(aks->certificate_authority_data == "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    CHECK(aks->tls_server_name == "kubernetes");
    CHECK(aks->proxy_url == "http://proxy.example:3128");
    CHECK_FALSE(aks->insecure_skip_tls_verify);
    const Cluster* lab = kc.find_cluster("lab");
    REQUIRE(lab != nullptr);
    CHECK(lab->certificate_authority == "/home/me/.kube/ca/lab.crt");  // relative to the file
    CHECK(lab->insecure_skip_tls_verify);

    const User* u1 = kc.find_user("u1");
    REQUIRE(u1 != nullptr);
    REQUIRE(u1->exec);
    CHECK(u1->exec->command == "kubelogin");
    CHECK(u1->exec->args == std::vector<std::string>{"get-token", "--login", "azurecli"});
    REQUIRE(u1->exec->env.size() == 1);
    CHECK(u1->exec->env[0] == std::make_pair(std::string("A"), std::string("1")));
    CHECK(u1->exec->install_hint == "install it\n");
    CHECK(u1->defined_in == "/home/me/.kube/config");
    const User* u2 = kc.find_user("u2");
    REQUIRE(u2 != nullptr);
    CHECK(u2->auth_provider_name == "azure");
    CHECK(u2->auth_provider_config.at("config-mode") == "1");
    CHECK(kc.find_user("u3")->token == "abc");
    const Context* ctx = kc.find_context("aks");
    REQUIRE(ctx != nullptr);
    CHECK(ctx->namespace_name == "team");
    CHECK(kc.find_context("nope") == nullptr);
}

TEST_CASE("parse accepts an empty file and rejects wrong shapes with the file named") {
    CHECK(parse("", "/k").users.empty());
    CHECK_THROWS_WITH(parse("- a\n- b\n", "/k"), Catch::Contains("/k") && Catch::Contains("not a YAML mapping"));
    CHECK_THROWS_WITH(parse("users: {a: b}\n", "/k"), Catch::Contains("users is not a list"));
    CHECK_THROWS_WITH(parse("users:\n- user: {}\n", "/k"), Catch::Contains("users[0] has no name"));
    CHECK_THROWS_WITH(parse("users:\n- name: x\n  user:\n    exec: {args: a}\n", "/k"),
                      Catch::Contains("users[0].user.exec.args is not a list"));
    CHECK_THROWS_WITH(parse("clusters:\n- name: c\n  cluster: {certificate-authority-data: '***'}\n", "/k"),
                      Catch::Contains("not valid base64"));
    CHECK_THROWS_WITH(parse("clusters:\n- name: c\n  cluster: {insecure-skip-tls-verify: maybe}\n", "/k"),
                      Catch::Contains("not true or false"));
}

TEST_CASE("malformed YAML is a one-line UsageError naming file and line") {
    try {
        parse("users:\n- name: x\n  user: [unclosed\n", "/k/config");
        FAIL("no error");
    } catch (const aks::UsageError& e) {
        const std::string msg = e.what();
        CHECK(msg.find("/k/config") != std::string::npos);
        CHECK(msg.find("line ") != std::string::npos);
        CHECK(msg.find('\n') == std::string::npos);
    }
}

TEST_CASE("kubeconfig_paths: --kubeconfig, else KUBECONFIG, else ~/.kube/config") {
    CHECK(kubeconfig_paths(std::string("/x"), env_of({{"KUBECONFIG", "/a"}})) == std::vector<std::string>{"/x"});
    CHECK(kubeconfig_paths(std::nullopt, env_of({{"KUBECONFIG", "/a::/b:/a"}, {"HOME", "/h"}})) ==
          std::vector<std::string>{"/a", "/b"});
    CHECK(kubeconfig_paths(std::nullopt, env_of({{"KUBECONFIG", ""}, {"HOME", "/h"}})) ==
          std::vector<std::string>{"/h/.kube/config"});
    CHECK_THROWS_AS(kubeconfig_paths(std::nullopt, env_of({})), aks::UsageError);
}

TEST_CASE("load merges KUBECONFIG files: the first file that sets a value wins") {
    TempDir t;
    write_file(t.path + "/a", R"(clusters:
- name: c
  cluster: {server: https://first}
contexts:
- name: x
  context: {cluster: c, user: u}
users:
- name: u
  user: {token: from-a}
)");
    write_file(t.path + "/b", R"(current-context: y
clusters:
- name: c
  cluster: {server: https://second}
- name: d
  cluster: {server: https://d}
contexts:
- name: y
  context: {cluster: d, user: v}
users:
- name: u
  user: {token: from-b}
- name: v
  user: {token: v}
)");
    const Kubeconfig kc =
        load(std::nullopt, env_of({{"KUBECONFIG", t.path + "/a:" + t.path + "/missing:" + t.path + "/b"}}));
    CHECK(kc.files == std::vector<std::string>{t.path + "/a", t.path + "/b"});
    CHECK(kc.current_context == "y");  // a sets none
    CHECK(kc.find_cluster("c")->server == "https://first");
    CHECK(kc.find_cluster("d")->server == "https://d");
    CHECK(kc.find_user("u")->token == "from-a");
    CHECK(kc.find_user("u")->defined_in == t.path + "/a");
    CHECK(kc.find_user("v")->defined_in == t.path + "/b");
    CHECK(kc.contexts.size() == 2);
}

TEST_CASE("load: an explicit --kubeconfig must exist; a missing default is empty") {
    TempDir t;
    CHECK_THROWS_WITH(load(t.path + "/none", env_of({})), Catch::Contains(t.path + "/none"));
    const Kubeconfig kc = load(std::nullopt, env_of({{"HOME", t.path}}));
    CHECK(kc.files.empty());
    CHECK(kc.users.empty());
}
