#pragma once
// One handle: a kubeconfig context → the login settings (and so the cache key)
// that its user's exec entry describes. aks-token login/token/status/logout
// --context X, kubectl's exec run and aks-proxy --context X all go through here.
#include <string>
#include <vector>

#include "core/login_args.h"
#include "core/login_settings.h"
#include "kubeconfig/kubeconfig.h"

namespace aks::kubeconfig {

struct ResolvedContext {
    Context context;
    Cluster cluster;
    User user;
    LoginSettings login;
};

// context_name empty → current-context. Throws UsageError when the context/cluster/user is missing or the user is not
// an aks-token or kubelogin exec entry or a legacy azure auth-provider (message says which user and what it is).
ResolvedContext resolve_context(const Kubeconfig& kc, const std::string& context_name, const EnvLookup& env);

// The login settings of one user (exec entry args + env overlaid on `env`, or
// the legacy azure auth-provider's config). Throws UsageError as above.
LoginSettings login_settings_for_user(const User& user, const EnvLookup& env);

// The kubelogin-style login flags of a user, without the leading "get-token":
// the exec entry's args, or flags equivalent to a legacy azure auth-provider's
// config. UsageError when the user is neither (message says what it is).
std::vector<std::string> login_args_of_user(const User& user);

// `env` with the exec entry's env list laid over it, as kubectl runs the plugin.
EnvLookup exec_env(const User& user, const EnvLookup& env);

// True when `command` runs aks-token or kubelogin (by base name).
bool is_aks_token_command(const std::string& command);
bool is_kubelogin_command(const std::string& command);

}  // namespace aks::kubeconfig
