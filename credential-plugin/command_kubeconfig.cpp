// `aks-token kubeconfig --proxy URL`: a credential-free kubeconfig that points
// a context at a running aks-proxy, for tools that cannot run exec plugins.
#include <iostream>

#include "core/errors.h"
#include "credential-plugin/command_flags.h"
#include "credential-plugin/commands.h"
#include "kubeconfig/proxy_kubeconfig.h"
#include "kubeconfig/yaml_file.h"

namespace aks {

int run_kubeconfig(const std::vector<std::string>& args, const CommandContext& ctx) {
    std::vector<std::string> rest = args;
    const auto proxy = take_option(rest, flags::proxy());
    const std::string context = take_option(rest, flags::kubeconfig_context()).value_or("");
    const auto path = take_option(rest, flags::kubeconfig());
    const auto output = take_option(rest, flags::kubeconfig_output());
    if (!rest.empty()) throw UsageError("unexpected argument '" + rest.front() + "' (see aks-token kubeconfig --help)");
    if (!proxy) throw UsageError("kubeconfig needs --proxy URL, the address of a running aks-proxy");

    const std::string text = kubeconfig::proxy_kubeconfig_yaml(kubeconfig::load(path, ctx.env), context, *proxy);
    if (output && *output != "-") {
        kubeconfig::write_private_file(*output, text);
        std::cerr << "Wrote " << *output << "; use it with: KUBECONFIG=" << *output << " kubectl get pods\n";
    } else {
        std::cout << text;
    }
    return kExitOk;
}

}  // namespace aks
