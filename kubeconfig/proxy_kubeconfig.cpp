#include "kubeconfig/proxy_kubeconfig.h"

#include <yaml-cpp/yaml.h>

#include "core/errors.h"
#include "kubeconfig/yaml_file.h"

namespace aks::kubeconfig {

std::string proxy_kubeconfig_yaml(const Kubeconfig& kc, const std::string& context_name, const std::string& proxy_url) {
    const bool http = proxy_url.rfind("http://", 0) == 0 || proxy_url.rfind("https://", 0) == 0;
    const std::size_t scheme_end = proxy_url.find("://");
    if (!http || proxy_url.size() <= scheme_end + 3) {
        throw UsageError("--proxy '" + proxy_url + "' is not an http(s) URL such as http://127.0.0.1:8001");
    }
    std::string url = proxy_url;
    while (url.size() > scheme_end + 3 && url.back() == '/') url.pop_back();

    const std::string name = context_name.empty() ? kc.current_context : context_name;
    if (name.empty()) throw UsageError("the kubeconfig has no current-context; name one with --context");
    const Context* ctx = kc.find_context(name);
    if (ctx == nullptr) throw UsageError("context '" + name + "' is not in the kubeconfig");
    if (kc.find_cluster(ctx->cluster) == nullptr) {
        throw UsageError("context '" + name + "' names cluster '" + ctx->cluster + "', which is not in the kubeconfig");
    }

    // The proxy holds the credentials: the user entry is deliberately empty.
    const std::string user = "aks-proxy";
    YAML::Node root(YAML::NodeType::Map);
    root["apiVersion"] = "v1";
    root["kind"] = "Config";
    YAML::Node cluster(YAML::NodeType::Map);
    cluster["name"] = ctx->cluster;
    cluster["cluster"]["server"] = url;
    root["clusters"].push_back(cluster);
    YAML::Node context(YAML::NodeType::Map);
    context["name"] = name;
    context["context"]["cluster"] = ctx->cluster;
    context["context"]["user"] = user;
    if (!ctx->namespace_name.empty()) context["context"]["namespace"] = ctx->namespace_name;
    root["contexts"].push_back(context);
    root["current-context"] = name;
    YAML::Node u(YAML::NodeType::Map);
    u["name"] = user;
    u["user"] = YAML::Node(YAML::NodeType::Map);
    root["users"].push_back(u);
    return emit_yaml(root);
}

}  // namespace aks::kubeconfig
