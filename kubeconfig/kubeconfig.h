#pragma once
// A kubeconfig as kubectl sees it: one or more files merged (first file that
// sets a value wins), with the parts aks-auth needs from clusters, users and
// contexts. Used by aks-token (convert-kubeconfig, --context) and aks-proxy.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/login_args.h"

namespace aks::kubeconfig {

// users[].user.exec of a kubeconfig.
struct ExecEntry {
    std::string api_version, command;
    std::vector<std::string> args;
    std::vector<std::pair<std::string, std::string>> env;  // name, value (in file order)
    std::string interactive_mode, install_hint;
};

struct User {
    std::string name;
    std::string token;
    std::optional<ExecEntry> exec;
    std::string auth_provider_name;                               // "" when absent
    std::map<std::string, std::string> auth_provider_config;
    std::string defined_in;                                       // file that defined this user
};

struct Cluster {
    std::string name, server;
    std::string certificate_authority_data;  // decoded PEM text ("" when absent)
    std::string certificate_authority;       // file path, resolved relative to the kubeconfig file that named it
    std::string tls_server_name, proxy_url;
    bool insecure_skip_tls_verify = false;
    std::string defined_in;
};

struct Context {
    std::string name, cluster, user, namespace_name;
    std::string defined_in;
};

struct Kubeconfig {
    std::vector<std::string> files;  // the files read, in precedence order (missing KUBECONFIG entries skipped)
    std::string current_context;
    std::vector<Cluster> clusters;
    std::vector<User> users;
    std::vector<Context> contexts;

    const Context* find_context(const std::string& name) const;
    const Cluster* find_cluster(const std::string& name) const;
    const User* find_user(const std::string& name) const;
};

// The files kubectl would read: explicit_path (--kubeconfig); else KUBECONFIG
// (':'-separated, empty entries skipped, duplicates dropped); else ~/.kube/config.
std::vector<std::string> kubeconfig_paths(const std::optional<std::string>& explicit_path, const EnvLookup& env);

// explicit_path: --kubeconfig; else KUBECONFIG (':'-separated, first file that
// sets a value wins), else ~/.kube/config. An explicit path must exist; missing
// KUBECONFIG entries are skipped as kubectl does. Throws aks::UsageError with
// one line naming the file and the problem (malformed YAML, wrong types).
Kubeconfig load(const std::optional<std::string>& explicit_path, const EnvLookup& env);

// Standard base64 (line breaks allowed) → bytes; nullopt when invalid.
std::optional<std::string> decode_base64(std::string text);

// Parses one file's text (exposed for tests); `path` names it in errors and
// anchors relative certificate-authority paths.
Kubeconfig parse(const std::string& yaml_text, const std::string& path);

}  // namespace aks::kubeconfig
