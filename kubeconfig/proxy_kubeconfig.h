#pragma once
// A kubeconfig for tools that cannot run exec plugins: one context whose
// cluster is a running aks-proxy (which adds the token), with no credentials.
// Used by `aks-token kubeconfig --proxy URL` and `aks-proxy kubeconfig`.
#include <string>

#include "kubeconfig/kubeconfig.h"

namespace aks::kubeconfig {

// YAML text of that kubeconfig for `context_name` (empty → current-context),
// keeping the context's name, cluster name and namespace. `proxy_url` must be
// http(s)://host:port. UsageError when the context or its cluster is missing
// or the URL is not http(s).
std::string proxy_kubeconfig_yaml(const Kubeconfig& kc, const std::string& context_name, const std::string& proxy_url);

}  // namespace aks::kubeconfig
