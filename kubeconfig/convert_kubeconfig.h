#pragma once
// convert-kubeconfig: rewrite AKS users (legacy `auth-provider: azure`,
// kubelogin exec entries, earlier aks-token entries) to run aks-token.
// Works on the YAML tree of each file, so unknown fields, other users and
// other files stay as they are; a file whose users end up the same is not
// rewritten at all (converting twice changes nothing).
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/login_args.h"
#include "kubeconfig/kubeconfig.h"

namespace aks::kubeconfig {

struct ConvertOptions {
    std::string context;                // only this context's user; empty: every AKS user
    std::string login_mode;             // -l; empty keeps each user's mode
    std::vector<LoginFlag> flags;       // explicit kubelogin flags: win over the entry's own
    std::string command = "aks-token";  // --command
};

enum class UserKind { Other, LegacyAzure, Kubelogin, AksToken };
UserKind classify_user(const User& user);
const char* describe_kind(UserKind kind);

// The exec args (starting with "get-token") the converted user gets.
std::vector<std::string> converted_args(const User& user, const ConvertOptions& opts);

// Rewrites one `users[i].user` mapping in place for `user` (as parsed from it).
void convert_user_node(YAML::Node user_node, const User& user, const ConvertOptions& opts);

struct ConvertedUser {
    std::string name;
    UserKind kind = UserKind::Other;
    bool changed = false;
};

struct FileConversion {
    std::string path;
    std::string new_text;  // set only when changed
    bool changed = false;
    std::vector<ConvertedUser> users;
};

// Plans the conversion of every file of `kc` that defines a user to convert
// (the context's user, or every AKS user). Reads the files again (as YAML
// trees); writes nothing. UsageError when a named context's user is not an
// AKS user, or when an entry cannot be converted (unsupported kubelogin flag).
std::vector<FileConversion> plan_conversion(const Kubeconfig& kc, const ConvertOptions& opts);

}  // namespace aks::kubeconfig
