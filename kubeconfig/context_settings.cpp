#include "kubeconfig/context_settings.h"

#include "core/errors.h"

namespace aks::kubeconfig {
namespace {

std::string base_name(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string join_names(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out.empty() ? "none" : out;
}

std::string where(const Kubeconfig& kc) {
    std::string out;
    for (const auto& f : kc.files) out += (out.empty() ? "" : ":") + f;
    return out.empty() ? "the kubeconfig (no file found)" : out;
}

// What a non-AKS user is, for the error message.
std::string describe(const User& u) {
    if (u.exec) return "an exec plugin running '" + u.exec->command + "'";
    if (!u.auth_provider_name.empty()) return "the '" + u.auth_provider_name + "' auth-provider";
    if (!u.token.empty()) return "a static token";
    return "no exec plugin or auth-provider (client certificate or basic auth)";
}

}  // namespace

bool is_aks_token_command(const std::string& command) {
    const std::string b = base_name(command);
    return b == "aks-token" || b == "aks-token-full";
}

bool is_kubelogin_command(const std::string& command) {
    const std::string b = base_name(command);
    // Azure/kubelogin only; int128/kubelogin installs as kubectl-oidc_login and
    // speaks to any OIDC provider, which is not what these flags mean.
    return b == "kubelogin" || b == "kubelogin.exe";
}

std::vector<std::string> login_args_of_user(const User& user) {
    if (user.exec && (is_aks_token_command(user.exec->command) || is_kubelogin_command(user.exec->command))) {
        const auto& args = user.exec->args;
        if (args.empty() || args.front() != "get-token") {
            throw UsageError("user '" + user.name + "' runs " + base_name(user.exec->command) +
                             " without get-token as its first argument");
        }
        return std::vector<std::string>(args.begin() + 1, args.end());
    }
    if (!user.exec && user.auth_provider_name == "azure") {
        // What kubelogin convert-kubeconfig derives from the legacy provider.
        const auto& cfg = user.auth_provider_config;
        auto get = [&](const char* k) {
            const auto it = cfg.find(k);
            return it == cfg.end() ? std::string() : it->second;
        };
        std::vector<std::string> args = {"--login", "devicecode"};
        auto add = [&](const char* flag, const std::string& v) {
            if (v.empty()) return;
            args.push_back(flag);
            args.push_back(v);
        };
        add("--environment", get("environment"));
        add("--server-id", get("apiserver-id"));
        add("--client-id", get("client-id"));
        add("--tenant-id", get("tenant-id"));
        // config-mode "0" or absent is the legacy token audience, which kubelogin
        // marks with --legacy (accepted here, same token).
        const std::string mode = get("config-mode");
        if (mode.empty() || mode == "0") args.push_back("--legacy");
        return args;
    }
    throw UsageError("user '" + user.name + "' is not an AKS user: it uses " + describe(user));
}

EnvLookup exec_env(const User& user, const EnvLookup& env) {
    if (!user.exec || user.exec->env.empty()) return env;
    auto overlay = user.exec->env;
    return [overlay, env](const std::string& name) -> std::optional<std::string> {
        // kubectl appends the list to the environment; the last entry of a name wins.
        for (auto it = overlay.rbegin(); it != overlay.rend(); ++it) {
            if (it->first == name) return it->second;
        }
        return env ? env(name) : std::nullopt;
    };
}

LoginSettings login_settings_for_user(const User& user, const EnvLookup& env) {
    const std::vector<std::string> args = login_args_of_user(user);
    try {
        // Anything left over (-v 4, positionals) does not change the identity.
        return parse_login_args(args, exec_env(user, env), false).settings;
    } catch (const UsageError& e) {
        throw UsageError("user '" + user.name + "': " + e.what());
    }
}

ResolvedContext resolve_context(const Kubeconfig& kc, const std::string& context_name, const EnvLookup& env) {
    std::string name = context_name;
    if (name.empty()) {
        name = kc.current_context;
        if (name.empty()) throw UsageError(where(kc) + " has no current-context; name one with --context");
    }
    const Context* ctx = kc.find_context(name);
    if (ctx == nullptr) {
        std::vector<std::string> names;
        for (const auto& c : kc.contexts) names.push_back(c.name);
        throw UsageError("context '" + name + "' is not in " + where(kc) + " (contexts: " + join_names(names) + ")");
    }
    const Cluster* cluster = kc.find_cluster(ctx->cluster);
    if (cluster == nullptr) {
        throw UsageError("context '" + name + "' names cluster '" + ctx->cluster + "', which is not in " + where(kc));
    }
    const User* user = kc.find_user(ctx->user);
    if (user == nullptr) {
        throw UsageError("context '" + name + "' names user '" + ctx->user + "', which is not in " + where(kc));
    }
    ResolvedContext r;
    r.context = *ctx;
    r.cluster = *cluster;
    r.user = *user;
    try {
        r.login = login_settings_for_user(*user, env);
    } catch (const UsageError& e) {
        throw UsageError("context '" + name + "': " + e.what());
    }
    return r;
}

}  // namespace aks::kubeconfig
