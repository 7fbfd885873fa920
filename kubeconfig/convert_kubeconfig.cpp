#include "kubeconfig/convert_kubeconfig.h"

#include <map>

#include "core/cloud.h"
#include "core/errors.h"
#include "kubeconfig/context_settings.h"
#include "kubeconfig/yaml_file.h"

namespace aks::kubeconfig {
namespace {

constexpr const char* kApiVersion = "client.authentication.k8s.io/v1";
constexpr const char* kInstallHint =
    "aks-token (part of aks-auth) signs you in to this AKS cluster; install aks-auth and put aks-token on your PATH";

using Values = std::map<FlagId, std::string>;

// Login flags by their canonical id (--token-cache-dir is --cache-dir), the
// last one winning as in pflag; booleans as "true"/"false". An empty value
// is kept here but counts as not given (get()).
Values values_of(const std::vector<LoginFlag>& flags) {
    Values out;
    for (const LoginFlag& f : flags) {
        const LoginFlagSpec& spec = f.spec->alias_of ? *find_login_flag(f.spec->alias_of) : *f.spec;
        std::string v = f.value;
        if (f.is_bool) v = f.value.empty() || parse_go_bool(f.value).value_or(false) ? "true" : "false";
        if (spec.id == FlagId::OidcExtraScope && out.count(spec.id) && !out[spec.id].empty())
            v = out[spec.id] + "," + v;
        out[spec.id] = v;
    }
    return out;
}

// converter (kubelogin): "all login methods require --server-id"; aks-token
// defaults a missing one, but an empty one is a broken entry.
void refuse_empty_server_id(const Values& v, const std::string& who) {
    const auto it = v.find(FlagId::ServerId);
    if (it != v.end() && it->second.empty())
        throw UsageError(who + "--server-id is empty; give the AKS server application id (" + kAksServerId + ")");
}

std::string get(const Values& v, FlagId id) {
    const auto it = v.find(id);
    return it == v.end() ? std::string() : it->second;
}

// Verbosity (-v 4) is the only other thing get-token takes.
bool is_verbosity(const std::string& a) {
    return a == "-v" || a == "--v" || a.rfind("-v=", 0) == 0 || a.rfind("--v=", 0) == 0 ||
           (a.size() > 2 && a.rfind("-v", 0) == 0 && a.find_first_not_of("0123456789", 2) == std::string::npos);
}

std::vector<std::string> verbosity_args(const User& user, const std::vector<std::string>& rest) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < rest.size(); ++i) {
        if (is_verbosity(rest[i])) {
            out.push_back(rest[i]);
            const bool takes_next = rest[i] == "-v" || rest[i] == "--v";
            if (takes_next && i + 1 < rest.size() && !rest[i + 1].empty() && rest[i + 1][0] != '-') out.push_back(rest[++i]);
            continue;
        }
        if (rest[i].size() > 1 && rest[i][0] == '-')
            throw UsageError("user '" + user.name + "': unknown flag " + rest[i].substr(0, rest[i].find('=')) +
                             " in its exec args (aks-token get-token would refuse it)");
        throw UsageError("user '" + user.name + "': its exec args have '" + rest[i] +
                         "', which aks-token get-token does not take");
    }
    return out;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

std::string mode_error(const std::string& source, const std::string& mode) {
    if (mode == "azurepipelines") return source + " azurepipelines is not supported by aks-token; use one of: " + login_mode_list();
    return source + " '" + mode + "' is not a login mode; use one of: " + login_mode_list();
}

// An env list lookup (kubectl appends the list; the last entry of a name wins).
EnvLookup env_list(std::vector<std::pair<std::string, std::string>> list) {
    return [list = std::move(list)](const std::string& name) -> std::optional<std::string> {
        for (auto it = list.rbegin(); it != list.rend(); ++it) {
            if (it->first == name) return it->second;
        }
        return std::nullopt;
    };
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

UserConversion convert_user(const User& user, const ConvertOptions& opts) {
    const std::string who = "user '" + user.name + "': ";
    std::vector<std::string> rest;
    Values entry;
    try {
        entry = values_of(split_login_flags(login_args_of_user(user), rest));
    } catch (const UsageError& e) {
        throw UsageError(who + e.what());
    }
    const std::vector<std::string> verbosity = verbosity_args(user, rest);
    std::vector<std::pair<std::string, std::string>> entry_env;
    if (user.exec) entry_env = user.exec->env;
    const Values given = values_of(opts.flags);
    if (get(given, FlagId::ServerId).empty()) refuse_empty_server_id(entry, who);

    // The entry's own mode is what get-token would run: its env list's
    // AAD_LOGIN_METHOD beats its --login, as in kubelogin.
    std::string entry_mode = get(entry, FlagId::Login);
    if (get(entry, FlagId::DisableEnvironmentOverride) != "true") {
        if (auto m = env_list(entry_env)("AAD_LOGIN_METHOD"); m && !m->empty()) entry_mode = *m;
    }
    if (entry_mode.empty()) entry_mode = "devicecode";

    // converter (kubelogin): AAD_LOGIN_METHOD is applied after -l. Without
    // either, aks-token keeps the entry's mode (kubelogin would use devicecode).
    UserConversion out;
    std::string mode = get(given, FlagId::Login), source = "-l";
    if (opts.env && get(given, FlagId::DisableEnvironmentOverride) != "true") {
        if (auto m = opts.env("AAD_LOGIN_METHOD"); m && !m->empty()) {
            if (!mode.empty() && mode != *m)
                out.notes.push_back(who + "AAD_LOGIN_METHOD=" + *m + " overrides -l " + mode +
                                    ", as in kubelogin (--disable-environment-override ignores it)");
            mode = *m;
            source = "AAD_LOGIN_METHOD";
        }
    }
    const bool keep_entry = mode.empty();
    if (keep_entry) {
        mode = entry_mode;
        source = who + "--login";
    }
    const auto target = login_mode_named(mode);
    if (!target) throw UsageError(mode_error(source, mode));

    std::vector<std::string> not_read, not_kept, secrets;
    out.args = {"get-token", "--login", mode};
    for (const LoginFlagSpec& f : login_flag_table()) {
        if (f.id == FlagId::Login || f.alias_of != nullptr || f.support == Support::Refused) continue;
        const bool reads = has_mode(f.reads, *target);
        std::string value = get(given, f.id);
        if (!value.empty()) {
            if (!reads) {
                not_read.push_back(flag_display(f));
                continue;
            }
        } else {
            value = get(entry, f.id);
            if (value.empty() || value == "false") continue;
            if (!reads) {
                not_read.push_back(flag_display(f));
                continue;
            }
            if (!keep_entry && !has_mode(f.carried, *target)) {
                not_kept.push_back(flag_display(f));
                continue;
            }
        }
        if (f.scope == Scope::ConvertOnly) {
            // converter: --azure-config-dir becomes the entry's AZURE_CONFIG_DIR.
            out.env.emplace_back(f.env[0].names[0], value);
        } else if (f.kind == ValueKind::Bool) {
            if (value == "true") out.args.push_back(flag_display(f));
        } else {
            out.args.insert(out.args.end(), {flag_display(f), value});
            if (f.secret) secrets.push_back(flag_display(f) + " (prefer " + recommended_env(f) + ")");
        }
    }
    out.args.insert(out.args.end(), verbosity.begin(), verbosity.end());

    // Refuse now what get-token would refuse on every kubectl run.
    std::vector<std::pair<std::string, std::string>> new_env = entry_env;
    new_env.insert(new_env.end(), out.env.begin(), out.env.end());
    ParsedLoginArgs check;
    try {
        check = parse_login_args({out.args.begin() + 1, out.args.end()}, env_list(new_env), false, LoginCheck::Conversion);
    } catch (const UsageError& e) {
        throw UsageError(who + e.what());
    }
    if (check.settings.login_mode != mode) {
        throw UsageError(who + "its env list sets AAD_LOGIN_METHOD=" + check.settings.login_mode +
                         ", which would override --login " + mode + "; remove it from the entry or give -l " +
                         check.settings.login_mode);
    }

    if (!not_read.empty()) out.notes.push_back(who + "--login " + mode + " does not read " + join(not_read) + "; not written");
    if (!not_kept.empty())
        out.notes.push_back(who + "--login " + mode + " does not keep " + join(not_kept) +
                            " of the old entry (as kubelogin); give them again to keep them");
    if (!secrets.empty())
        out.notes.push_back(who + "warning: written into the kubeconfig in plain text: " + join(secrets) +
                            "; kubelogin documents these environment variables instead");
    return out;
}

void convert_user_node(YAML::Node user_node, const UserConversion& c, const std::string& command) {
    if (user_node["auth-provider"]) user_node.remove("auth-provider");
    YAML::Node exec = user_node["exec"];
    if (!exec || !exec.IsMap()) {
        exec = YAML::Node(YAML::NodeType::Map);
        user_node["exec"] = exec;
    }
    // Existing keys keep their place; env and unknown keys stay.
    exec["apiVersion"] = kApiVersion;
    exec["command"] = command;
    exec["args"] = string_list(c.args);
    if (!c.env.empty()) {
        YAML::Node env = exec["env"];
        if (!env || !env.IsSequence()) {
            env = YAML::Node(YAML::NodeType::Sequence);
            exec["env"] = env;
        }
        for (const auto& [name, value] : c.env) {
            bool set = false;
            for (std::size_t i = 0; i < env.size(); ++i) {
                YAML::Node item = env[i];
                if (item.IsMap() && item["name"] && item["name"].Scalar() == name) {
                    item["value"] = value;
                    set = true;
                }
            }
            if (!set) {
                YAML::Node item(YAML::NodeType::Map);
                item["name"] = name;
                item["value"] = value;
                env.push_back(item);
            }
        }
    }
    exec["interactiveMode"] = "IfAvailable";
    exec["installHint"] = kInstallHint;
}

std::vector<FileConversion> plan_conversion(const Kubeconfig& kc, const ConvertOptions& opts) {
    // kubelogin validates its flags before it reads any kubeconfig.
    for (const LoginFlag& f : opts.flags) {
        if (f.spec->id == FlagId::Login) {
            if (!login_mode_named(f.value)) throw UsageError(mode_error("-l", f.value));
        } else if (f.spec->id == FlagId::ServerId && f.value.empty()) {
            refuse_empty_server_id(values_of({f}), "");
        } else if (!f.is_bool && !f.value.empty()) {
            check_login_flag_value(*f.spec, f.value, flag_display(*f.spec));
        }
    }
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
                UserConversion c = convert_user(*u, opts);
                convert_user_node(user_node, c, opts.command);
                ConvertedUser cu{u->name, classify_user(*u), emit_yaml(user_node) != old_text, std::move(c.notes)};
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
