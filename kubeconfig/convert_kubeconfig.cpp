#include "kubeconfig/convert_kubeconfig.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/errors.h"
#include "kubeconfig/context_settings.h"
#include "kubeconfig/yaml_file.h"

namespace aks::kubeconfig {
namespace {

constexpr const char* kApiVersion = "client.authentication.k8s.io/v1";
constexpr const char* kInstallHint =
    "aks-token (part of aks-auth) signs you in to this AKS cluster; install aks-auth and put aks-token on your PATH";

// Flags that mean something for every login mode.
const char* const kCommonFlags[] = {"login",       "server-id",    "tenant-id",
                                    "environment", "authority-host", "cache-dir",
                                    "token-cache-dir", "timeout",  "certificate-authority",
                                    "legacy",      "disable-environment-override", "use-azurerm-env-vars",
                                    "disable-instance-discovery", "logtostderr"};

// The identity flags each mode reads; when -l switches a user to another
// mode, flags of the old mode that the new one would ignore are dropped.
const std::map<std::string, std::set<std::string>>& mode_flags() {
    static const std::map<std::string, std::set<std::string>> table = {
        {"devicecode", {"client-id", "login-hint"}},
        {"interactive", {"client-id", "login-hint", "redirect-url"}},
        {"spn", {"client-id", "client-secret", "client-certificate", "client-certificate-password"}},
        {"ropc", {"client-id", "username", "password"}},
        {"msi", {"client-id", "identity-resource-id"}},
        {"workloadidentity", {"client-id", "federated-token-file"}},
        {"azurecli", {}},
        {"azd", {}},
    };
    return table;
}

bool is_common(const std::string& name) {
    return std::any_of(std::begin(kCommonFlags), std::end(kCommonFlags), [&](const char* f) { return name == f; });
}

// --token-cache-dir is kubelogin's old name of --cache-dir.
std::string same_flag(const std::string& name) { return name == "token-cache-dir" ? "cache-dir" : name; }

void set_flag(std::vector<LoginFlag>& flags, const LoginFlag& f) {
    const std::string key = same_flag(f.name);
    auto first = std::find_if(flags.begin(), flags.end(), [&](const LoginFlag& x) { return same_flag(x.name) == key; });
    if (first == flags.end()) {
        flags.push_back(f);
        return;
    }
    *first = f;
    flags.erase(std::remove_if(first + 1, flags.end(), [&](const LoginFlag& x) { return same_flag(x.name) == key; }),
                flags.end());
}

std::string flag_value(const std::vector<LoginFlag>& flags, const std::string& name) {
    std::string v;
    for (const auto& f : flags) {
        if (f.name == name) v = f.value;
    }
    return v;
}

YAML::Node string_list(const std::vector<std::string>& items) {
    YAML::Node seq(YAML::NodeType::Sequence);
    for (const auto& s : items) seq.push_back(s);
    return seq;
}

}  // namespace

UserKind classify_user(const User& user) {
    if (user.exec) {
        if (is_aks_token_command(user.exec->command)) return UserKind::AksToken;
        if (is_kubelogin_command(user.exec->command)) return UserKind::Kubelogin;
        return UserKind::Other;
    }
    return user.auth_provider_name == "azure" ? UserKind::LegacyAzure : UserKind::Other;
}

const char* describe_kind(UserKind kind) {
    switch (kind) {
        case UserKind::LegacyAzure: return "legacy azure auth-provider";
        case UserKind::Kubelogin: return "kubelogin exec plugin";
        case UserKind::AksToken: return "aks-token exec plugin";
        case UserKind::Other: break;
    }
    return "not an AKS user";
}

std::vector<std::string> converted_args(const User& user, const ConvertOptions& opts) {
    std::vector<std::string> rest;
    std::vector<LoginFlag> flags;
    try {
        flags = split_login_flags(login_args_of_user(user), rest);
    } catch (const UsageError& e) {
        throw UsageError("user '" + user.name + "': " + e.what());
    }
    const EnvLookup no_env = [](const std::string&) { return std::optional<std::string>(); };
    const EnvLookup env = exec_env(user, no_env);
    std::string old_mode = flag_value(flags, "login");
    if (old_mode.empty()) old_mode = env("AAD_LOGIN_METHOD").value_or("devicecode");

    for (const auto& f : opts.flags) set_flag(flags, f);
    if (!opts.login_mode.empty()) {
        if (mode_flags().count(opts.login_mode) == 0) {
            throw UsageError("-l '" + opts.login_mode +
                             "' is not a login mode; use one of: devicecode, interactive, spn, ropc, msi, azurecli, "
                             "azd, workloadidentity");
        }
        LoginFlag login{"login", opts.login_mode, false};
        if (flag_value(flags, "login").empty()) {
            flags.insert(flags.begin(), login);
        } else {
            set_flag(flags, login);
        }
        if (opts.login_mode != old_mode) {
            const auto& own = mode_flags().at(opts.login_mode);
            std::set<std::string> explicit_names;
            for (const auto& f : opts.flags) explicit_names.insert(f.name);
            flags.erase(std::remove_if(flags.begin(), flags.end(),
                                       [&](const LoginFlag& f) {
                                           return !is_common(f.name) && own.count(f.name) == 0 &&
                                                  explicit_names.count(f.name) == 0;
                                       }),
                        flags.end());
        }
    }

    std::vector<std::string> args = {"get-token"};
    for (const auto& f : flags) {
        if (f.is_bool) {
            args.push_back("--" + f.name + (f.value.empty() ? "" : "=" + f.value));
        } else {
            args.push_back("--" + f.name);
            args.push_back(f.value);
        }
    }
    args.insert(args.end(), rest.begin(), rest.end());
    return args;
}

void convert_user_node(YAML::Node user_node, const User& user, const ConvertOptions& opts) {
    const std::vector<std::string> args = converted_args(user, opts);
    if (user_node["auth-provider"]) user_node.remove("auth-provider");
    YAML::Node exec = user_node["exec"];
    if (!exec || !exec.IsMap()) {
        exec = YAML::Node(YAML::NodeType::Map);
        user_node["exec"] = exec;
    }
    // Existing keys keep their place; env and unknown keys stay.
    exec["apiVersion"] = kApiVersion;
    exec["command"] = opts.command;
    exec["args"] = string_list(args);
    exec["interactiveMode"] = "IfAvailable";
    exec["installHint"] = kInstallHint;
}

std::vector<FileConversion> plan_conversion(const Kubeconfig& kc, const ConvertOptions& opts) {
    std::vector<const User*> targets;
    if (!opts.context.empty()) {
        // resolve_context checks the context, its cluster and its user (and the
        // user's flags) with the process environment out of the picture.
        const EnvLookup no_env = [](const std::string&) { return std::optional<std::string>(); };
        const Context* ctx = kc.find_context(opts.context);
        const User* user = ctx ? kc.find_user(ctx->user) : nullptr;
        if (ctx == nullptr || user == nullptr || classify_user(*user) == UserKind::Other) {
            resolve_context(kc, opts.context, no_env);  // throws the precise reason
        }
        targets.push_back(user);
    } else {
        for (const auto& u : kc.users) {
            if (classify_user(u) != UserKind::Other) targets.push_back(&u);
        }
    }

    std::vector<FileConversion> plans;
    for (const std::string& path : kc.files) {
        std::vector<const User*> here;
        for (const User* u : targets) {
            if (u->defined_in == path) here.push_back(u);
        }
        if (here.empty()) continue;
        const std::string before = read_text_file(path);
        YAML::Node root = parse_yaml(before, path);
        FileConversion plan;
        plan.path = path;
        YAML::Node users = root["users"];
        for (const User* u : here) {
            // kubectl uses the first entry of a name in a file; so do we.
            for (std::size_t i = 0; i < users.size(); ++i) {
                YAML::Node entry = users[i];
                if (!entry["name"] || entry["name"].Scalar() != u->name) continue;
                YAML::Node user_node = entry["user"];
                const std::string old_text = emit_yaml(user_node);
                convert_user_node(user_node, *u, opts);
                ConvertedUser cu{u->name, classify_user(*u), emit_yaml(user_node) != old_text};
                plan.changed = plan.changed || cu.changed;
                plan.users.push_back(cu);
                break;
            }
        }
        if (plan.changed) plan.new_text = emit_yaml(root);
        plans.push_back(std::move(plan));
    }
    return plans;
}

}  // namespace aks::kubeconfig
