#include "kubeconfig/context_settings.h"

#include <catch2/catch.hpp>

#include "core/errors.h"
#include "kubeconfig_test_util.h"

using namespace aks::kubeconfig;
using kctest::env_of;

namespace {

const char* const kTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

const char* const kConfig = R"(current-context: dev
clusters:
- name: c
  cluster: {server: https://c}
contexts:
- {name: dev, context: {cluster: c, user: kubelogin-user}}
- {name: mine, context: {cluster: c, user: aks-user}}
- {name: legacy, context: {cluster: c, user: azure-user}}
- {name: static, context: {cluster: c, user: token-user}}
- {name: lost-user, context: {cluster: c, user: nobody}}
- {name: lost-cluster, context: {cluster: gone, user: aks-user}}
- {name: wi, context: {cluster: c, user: wi-user}}
users:
- name: kubelogin-user
  user:
    exec:
      command: /usr/local/bin/kubelogin
      args: [get-token, --login, devicecode, --tenant-id, 72f988bf-86f1-41af-91ab-2d7cd011db47,
             --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630]
- name: aks-user
  user:
    exec:
      command: aks-token
      args: [get-token, --login, devicecode, --tenant-id, 72f988bf-86f1-41af-91ab-2d7cd011db47,
             --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630, --cache-dir, /c]
- name: azure-user
  user:
    auth-provider:
      name: azure
      config: {apiserver-id: 6dae42f8-4368-4678-94ff-3960e28e3630, client-id: 80faf920-1908-4b52-b5ef-a8e7bedfc67a,
               tenant-id: 72f988bf-86f1-41af-91ab-2d7cd011db47, environment: AzurePublicCloud, config-mode: '1'}
- name: token-user
  user: {token: t}
- name: wi-user
  user:
    exec:
      command: kubelogin
      args: [get-token, --login, workloadidentity, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630]
      env:
      - {name: AZURE_CLIENT_ID, value: from-exec-env}
)";

}  // namespace

TEST_CASE("a context's login settings are its exec entry's get-token flags") {
    const Kubeconfig kc = parse(kConfig, "/k");
    const ResolvedContext r = resolve_context(kc, "", env_of({}));  // current-context
    CHECK(r.context.name == "dev");
    CHECK(r.cluster.server == "https://c");
    CHECK(r.user.name == "kubelogin-user");
    const auto direct = aks::parse_login_args(
        {"--login", "devicecode", "--tenant-id", kTenant, "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"},
        env_of({}));
    CHECK(r.login.key_hash() == direct.settings.key_hash());
    // aks-token and kubelogin entries with the same flags share one identity.
    CHECK(resolve_context(kc, "mine", env_of({})).login.key_hash() == r.login.key_hash());
    CHECK(resolve_context(kc, "mine", env_of({})).login.cache_dir == "/c");
}

TEST_CASE("the legacy azure auth-provider maps to a devicecode login of the same identity") {
    const Kubeconfig kc = parse(kConfig, "/k");
    const aks::LoginSettings s = resolve_context(kc, "legacy", env_of({})).login;
    CHECK(s.login_mode == "devicecode");
    CHECK(s.tenant_id == kTenant);
    CHECK(s.authority_host == "https://login.microsoftonline.com");
    CHECK(s.key_hash() == resolve_context(kc, "dev", env_of({})).login.key_hash());
    // AAD_LOGIN_METHOD beats --login (kubelogin's options.go), for the legacy
    // provider's devicecode as for the entry convert-kubeconfig makes of it.
    CHECK(resolve_context(kc, "legacy", env_of({{"AAD_LOGIN_METHOD", "azurecli"}})).login.login_mode == "azurecli");
    CHECK(resolve_context(kc, "dev", env_of({{"AAD_LOGIN_METHOD", "azurecli"}})).login.login_mode == "azurecli");
}

TEST_CASE("the exec entry's env list overlays the process environment") {
    const Kubeconfig kc = parse(kConfig, "/k");
    const aks::LoginSettings s =
        resolve_context(kc, "wi", env_of({{"AZURE_CLIENT_ID", "from-shell"}, {"AZURE_TENANT_ID", kTenant}})).login;
    CHECK(s.client_id == "from-exec-env");
    CHECK(s.tenant_id == kTenant);
}

TEST_CASE("resolve_context names what is missing or not an AKS user") {
    const Kubeconfig kc = parse(kConfig, "/k");
    CHECK_THROWS_WITH(resolve_context(kc, "nope", env_of({})),
                      Catch::Contains("context 'nope' is not in /k") && Catch::Contains("dev, mine"));
    CHECK_THROWS_WITH(resolve_context(kc, "lost-user", env_of({})), Catch::Contains("user 'nobody'"));
    CHECK_THROWS_WITH(resolve_context(kc, "lost-cluster", env_of({})), Catch::Contains("cluster 'gone'"));
    CHECK_THROWS_WITH(resolve_context(kc, "static", env_of({})),
                      Catch::Contains("'token-user' is not an AKS user") && Catch::Contains("static token"));
    CHECK_THROWS_WITH(resolve_context(parse("{}", "/e"), "", env_of({})), Catch::Contains("no current-context"));
    // The workload identity user needs a tenant: the error says which context.
    CHECK_THROWS_WITH(resolve_context(kc, "wi", env_of({})), Catch::Contains("context 'wi'") &&
                                                                  Catch::Contains("--tenant-id"));
}

TEST_CASE("command names: aks-token and kubelogin by base name") {
    CHECK(is_aks_token_command("/usr/bin/aks-token"));
    CHECK(is_aks_token_command("aks-token"));
    CHECK_FALSE(is_aks_token_command("aks-token-helper"));
    CHECK(is_kubelogin_command("/opt/kubelogin"));
    CHECK(is_kubelogin_command("kubelogin.exe"));
    CHECK_FALSE(is_kubelogin_command("gke-gcloud-auth-plugin"));
    CHECK_FALSE(is_kubelogin_command("kubectl-oidc_login"));  // int128/kubelogin: another tool
}
