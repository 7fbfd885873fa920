#pragma once
// convert-kubeconfig: rewrite AKS users (legacy `auth-provider: azure`,
// kubelogin exec entries, earlier aks-token entries) to run aks-token, per
// login mode as Azure/kubelogin's converter does (pkg/internal/converter/
// convert.go at 66784961ef44): the entry gets only the flags its mode reads
// (the flag table, core/login_flags.h), and is checked as get-token would
// check it before anything is written.
// Works on the YAML tree of each file, so unknown fields, other users and
// other files stay as they are; a file whose users end up the same is not
// rewritten at all (converting twice changes nothing).
#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/login_args.h"
#include "kubeconfig/kubeconfig.h"

namespace aks::kubeconfig {

struct ConvertOptions {
    std::string context;                // only this context's user; empty: every AKS user
    std::vector<LoginFlag> flags;       // login flags given to convert-kubeconfig (-l, --azure-config-dir too)
    EnvLookup env;                      // convert-kubeconfig's environment (AAD_LOGIN_METHOD); empty: none
    std::string command = "aks-token";  // --command
};

enum class UserKind { Other, LegacyAzure, Kubelogin, AksToken };
UserKind classify_user(const User& user);
const char* describe_kind(UserKind kind);

// What one user becomes.
struct UserConversion {
    std::vector<std::string> args;                            // exec args, starting with "get-token"
    std::vector<std::pair<std::string, std::string>> env;     // exec env entries to set (AZURE_CONFIG_DIR)
    std::vector<std::string> notes;                           // one line each for stderr; never a secret's value
};

// The target login mode is AAD_LOGIN_METHOD (as kubelogin; not with
// --disable-environment-override), else -l, else the entry's own mode (then
// every flag that mode reads is kept: only the command changes). Switching
// mode keeps from the old entry only what kubelogin's converter keeps (the
// table's `carried`); flags given here win. UsageError (prefixed with the
// user's name) when the result would be refused by get-token.
UserConversion convert_user(const User& user, const ConvertOptions& opts);

// Rewrites one `users[i].user` mapping in place.
void convert_user_node(YAML::Node user_node, const UserConversion& c, const std::string& command);

struct ConvertedUser {
    std::string name;
    UserKind kind = UserKind::Other;
    bool changed = false;
    std::vector<std::string> notes;
};

struct FileConversion {
    std::string path;
    std::string new_text;  // set only when changed
    bool changed = false;
    std::vector<ConvertedUser> users;
};

// Plans the conversion of every file of `kc` that defines a user to convert
// (the context's user, or every AKS user). Reads the files again (as YAML
// trees); writes nothing. UsageError when a flag given here has a bad value,
// a named context's user is not an AKS user, or any entry cannot be converted.
std::vector<FileConversion> plan_conversion(const Kubeconfig& kc, const ConvertOptions& opts);

}  // namespace aks::kubeconfig
