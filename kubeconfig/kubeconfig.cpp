// Loading and merging kubeconfig files the way kubectl does
// (client-go's clientcmd loading rules): for every named cluster, user and
// context, and for current-context, the first file that sets it wins.
#include "kubeconfig/kubeconfig.h"

#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <sstream>

#include "core/base64url.h"
#include "core/errors.h"
#include "kubeconfig/yaml_file.h"

namespace aks::kubeconfig {
namespace {

// Reads the fields this library knows; unknown ones are ignored (and kept
// by convert-kubeconfig, which edits the YAML tree, not these structs).
class FileReader {
public:
    explicit FileReader(std::string path) : path_(std::move(path)) {}

    Kubeconfig read(const YAML::Node& root) const {
        Kubeconfig kc;
        kc.files.push_back(path_);
        if (!root || root.IsNull()) return kc;
        if (!root.IsMap()) fail("", "is not a YAML mapping");
        kc.current_context = scalar(root["current-context"], "current-context");
        for_each_named(root, "clusters", "cluster", [&](const std::string& name, const YAML::Node& c, const std::string& at) {
            kc.clusters.push_back(cluster(name, c, at));
        });
        for_each_named(root, "users", "user", [&](const std::string& name, const YAML::Node& u, const std::string& at) {
            kc.users.push_back(user(name, u, at));
        });
        for_each_named(root, "contexts", "context", [&](const std::string& name, const YAML::Node& c, const std::string& at) {
            Context ctx;
            ctx.name = name;
            ctx.cluster = scalar(c["cluster"], at + ".cluster");
            ctx.user = scalar(c["user"], at + ".user");
            ctx.namespace_name = scalar(c["namespace"], at + ".namespace");
            ctx.defined_in = path_;
            kc.contexts.push_back(std::move(ctx));
        });
        return kc;
    }

private:
    [[noreturn]] void fail(const std::string& where, const std::string& what) const {
        throw UsageError("kubeconfig " + path_ + ": " + (where.empty() ? "" : where + " ") + what);
    }

    std::string scalar(const YAML::Node& n, const std::string& where) const {
        if (!n || n.IsNull()) return {};
        if (!n.IsScalar()) fail(where, "is not a string");
        return n.Scalar();
    }

    bool boolean(const YAML::Node& n, const std::string& where) const {
        const std::string v = scalar(n, where);
        if (v.empty() || v == "false" || v == "False" || v == "FALSE") return false;
        if (v == "true" || v == "True" || v == "TRUE") return true;
        fail(where, "is not true or false");
    }

    template <typename F>
    void for_each_named(const YAML::Node& root, const char* list, const char* item, F&& f) const {
        const YAML::Node seq = root[list];
        if (!seq || seq.IsNull()) return;
        if (!seq.IsSequence()) fail(list, "is not a list");
        for (std::size_t i = 0; i < seq.size(); ++i) {
            const std::string at = std::string(list) + "[" + std::to_string(i) + "]";
            const YAML::Node entry = seq[i];
            if (!entry.IsMap()) fail(at, "is not a mapping");
            const std::string name = scalar(entry["name"], at + ".name");
            if (name.empty()) fail(at, "has no name");
            const YAML::Node body = entry[item];
            if (body && !body.IsNull() && !body.IsMap()) fail(at + "." + item, "is not a mapping");
            f(name, body ? body : YAML::Node(YAML::NodeType::Map), at + "." + item);
        }
    }

    // Relative file names in a kubeconfig are relative to that file's directory.
    std::string resolve_path(const std::string& p) const {
        if (p.empty() || p[0] == '/') return p;
        const auto slash = path_.rfind('/');
        return slash == std::string::npos ? p : path_.substr(0, slash + 1) + p;
    }

    Cluster cluster(const std::string& name, const YAML::Node& c, const std::string& at) const {
        Cluster out;
        out.name = name;
        out.server = scalar(c["server"], at + ".server");
        const std::string ca_data = scalar(c["certificate-authority-data"], at + ".certificate-authority-data");
        if (!ca_data.empty()) {
            auto pem = decode_base64(ca_data);
            if (!pem) fail(at + ".certificate-authority-data", "is not valid base64");
            out.certificate_authority_data = std::move(*pem);
        }
        out.certificate_authority = resolve_path(scalar(c["certificate-authority"], at + ".certificate-authority"));
        out.tls_server_name = scalar(c["tls-server-name"], at + ".tls-server-name");
        out.proxy_url = scalar(c["proxy-url"], at + ".proxy-url");
        out.insecure_skip_tls_verify = boolean(c["insecure-skip-tls-verify"], at + ".insecure-skip-tls-verify");
        out.defined_in = path_;
        return out;
    }

    User user(const std::string& name, const YAML::Node& u, const std::string& at) const {
        User out;
        out.name = name;
        out.defined_in = path_;
        out.token = scalar(u["token"], at + ".token");
        if (const YAML::Node e = u["exec"]; e && !e.IsNull()) {
            const std::string where = at + ".exec";
            if (!e.IsMap()) fail(where, "is not a mapping");
            ExecEntry x;
            x.api_version = scalar(e["apiVersion"], where + ".apiVersion");
            x.command = scalar(e["command"], where + ".command");
            x.interactive_mode = scalar(e["interactiveMode"], where + ".interactiveMode");
            x.install_hint = scalar(e["installHint"], where + ".installHint");
            if (const YAML::Node args = e["args"]; args && !args.IsNull()) {
                if (!args.IsSequence()) fail(where + ".args", "is not a list");
                for (std::size_t i = 0; i < args.size(); ++i) {
                    x.args.push_back(scalar(args[i], where + ".args[" + std::to_string(i) + "]"));
                }
            }
            if (const YAML::Node env = e["env"]; env && !env.IsNull()) {
                if (!env.IsSequence()) fail(where + ".env", "is not a list");
                for (std::size_t i = 0; i < env.size(); ++i) {
                    const std::string w = where + ".env[" + std::to_string(i) + "]";
                    if (!env[i].IsMap()) fail(w, "is not a mapping");
                    x.env.emplace_back(scalar(env[i]["name"], w + ".name"), scalar(env[i]["value"], w + ".value"));
                }
            }
            out.exec = std::move(x);
        }
        if (const YAML::Node p = u["auth-provider"]; p && !p.IsNull()) {
            const std::string where = at + ".auth-provider";
            if (!p.IsMap()) fail(where, "is not a mapping");
            out.auth_provider_name = scalar(p["name"], where + ".name");
            if (const YAML::Node cfg = p["config"]; cfg && !cfg.IsNull()) {
                if (!cfg.IsMap()) fail(where + ".config", "is not a mapping");
                for (const auto& kv : cfg) {
                    const std::string key = kv.first.Scalar();
                    out.auth_provider_config[key] = scalar(kv.second, where + ".config." + key);
                }
            }
        }
        return out;
    }

    std::string path_;
};

bool file_exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

template <typename T>
void merge_named(std::vector<T>& into, std::vector<T>&& from) {
    for (auto& item : from) {
        const bool known = std::any_of(into.begin(), into.end(), [&](const T& t) { return t.name == item.name; });
        if (!known) into.push_back(std::move(item));
    }
}

template <typename T>
const T* find_named(const std::vector<T>& items, const std::string& name) {
    for (const auto& item : items) {
        if (item.name == name) return &item;
    }
    return nullptr;
}

}  // namespace

std::optional<std::string> decode_base64(std::string text) {
    // Standard base64 (PEM bundles may carry line breaks) through the base64url decoder.
    text.erase(std::remove_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r' || c == ' '; }),
               text.end());
    for (char& c : text) {
        if (c == '+') c = '-';
        else if (c == '/') c = '_';
        else if (c == '-' || c == '_') return std::nullopt;
    }
    return base64url_decode(text);
}

const Context* Kubeconfig::find_context(const std::string& name) const { return find_named(contexts, name); }
const Cluster* Kubeconfig::find_cluster(const std::string& name) const { return find_named(clusters, name); }
const User* Kubeconfig::find_user(const std::string& name) const { return find_named(users, name); }

std::vector<std::string> kubeconfig_paths(const std::optional<std::string>& explicit_path, const EnvLookup& env) {
    if (explicit_path) {
        if (explicit_path->empty()) throw UsageError("--kubeconfig needs a file name");
        return {*explicit_path};
    }
    std::vector<std::string> paths;
    if (auto list = env("KUBECONFIG"); list && !list->empty()) {
        std::stringstream in(*list);
        std::string p;
        while (std::getline(in, p, ':')) {
            if (!p.empty() && std::find(paths.begin(), paths.end(), p) == paths.end()) paths.push_back(p);
        }
        if (!paths.empty()) return paths;
    }
    const auto home = env("HOME");
    if (!home || home->empty()) throw UsageError("cannot find the kubeconfig: HOME is not set (use --kubeconfig)");
    return {*home + "/.kube/config"};
}

Kubeconfig parse(const std::string& yaml_text, const std::string& path) {
    return FileReader(path).read(parse_yaml(yaml_text, path));
}

Kubeconfig load(const std::optional<std::string>& explicit_path, const EnvLookup& env) {
    Kubeconfig kc;
    for (const std::string& path : kubeconfig_paths(explicit_path, env)) {
        // kubectl skips KUBECONFIG entries that do not exist, but not --kubeconfig.
        if (!explicit_path && !file_exists(path)) continue;
        Kubeconfig one = parse(read_text_file(path), path);
        kc.files.push_back(path);
        if (kc.current_context.empty()) kc.current_context = one.current_context;
        merge_named(kc.clusters, std::move(one.clusters));
        merge_named(kc.users, std::move(one.users));
        merge_named(kc.contexts, std::move(one.contexts));
    }
    return kc;
}

}  // namespace aks::kubeconfig
