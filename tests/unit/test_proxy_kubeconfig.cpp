#include "kubeconfig/proxy_kubeconfig.h"

#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include "core/errors.h"

using namespace aks::kubeconfig;

namespace {

const char* const kConfig = R"(current-context: aks
clusters:
- name: aks-cluster
  cluster: {server: https://aks.example:443, certificate-authority-data: QUJD}
contexts:
- {name: aks, context: {cluster: aks-cluster, user: u, namespace: team}}
- {name: broken, context: {cluster: gone, user: u}}
users:
- name: u
  user: {exec: {command: aks-token, args: [get-token, --login, azurecli]}}
)";

}  // namespace

TEST_CASE("the proxy kubeconfig points the context at the proxy with no credentials") {
    const std::string text = proxy_kubeconfig_yaml(parse(kConfig, "/k"), "", "http://127.0.0.1:8001/");
    const YAML::Node n = YAML::Load(text);
    CHECK(n["current-context"].as<std::string>() == "aks");
    CHECK(n["clusters"][0]["name"].as<std::string>() == "aks-cluster");
    CHECK(n["clusters"][0]["cluster"]["server"].as<std::string>() == "http://127.0.0.1:8001");
    CHECK_FALSE(n["clusters"][0]["cluster"]["certificate-authority-data"]);
    CHECK(n["contexts"][0]["context"]["namespace"].as<std::string>() == "team");
    const YAML::Node user = n["users"][0]["user"];
    CHECK(user.IsMap());
    CHECK(user.size() == 0);
    CHECK(text.find("aks-token") == std::string::npos);
}

TEST_CASE("the proxy kubeconfig rejects bad URLs and unknown contexts") {
    const Kubeconfig kc = parse(kConfig, "/k");
    CHECK_THROWS_AS(proxy_kubeconfig_yaml(kc, "", "127.0.0.1:8001"), aks::UsageError);
    CHECK_THROWS_AS(proxy_kubeconfig_yaml(kc, "", "http://"), aks::UsageError);
    CHECK_THROWS_WITH(proxy_kubeconfig_yaml(kc, "nope", "http://127.0.0.1:1"), Catch::Contains("'nope'"));
    CHECK_THROWS_WITH(proxy_kubeconfig_yaml(kc, "broken", "http://127.0.0.1:1"), Catch::Contains("'gone'"));
}
