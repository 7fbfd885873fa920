#include "local-proxy/proxy_doc.h"

#include <iostream>

#include "core/errors.h"
#include "core/login_flag_help.h"
#include "kubeconfig/kubeconfig.h"
#include "local-proxy/proxy_options.h"

namespace aks::proxy {
namespace {

const char* const kDescription =
    "aks-proxy is a local HTTP proxy to a kubeconfig context's API server that adds the Microsoft Entra ID\n"
    "token aks-token keeps in the shared cache, like kubectl proxy with safer defaults: it listens on\n"
    "127.0.0.1, accepts only loopback Host values and same-origin browser requests, verifies the API\n"
    "server's TLS against the kubeconfig's CA, and refreshes the token in the background.\n"
    "\n"
    "With --upstream URL (or --headlamp-service NS/NAME) it serves the Headlamp web UI instead: every\n"
    "request gets the token as the headlamp-auth cookie Headlamp reads, and only the browser that opened\n"
    "the launch URL aks-proxy prints (or opens) is served.\n"
    "\n"
    "aks-proxy kubeconfig prints a kubeconfig without credentials that points at the proxy, for tools\n"
    "that cannot run exec plugins.\n";

}  // namespace

CliDoc proxy_cli_doc() {
    CliDoc d;
    d.program = "aks-proxy";
    d.version = AKS_AUTH_VERSION;
    d.summary = "kubectl proxy and Headlamp front with the shared Entra ID token of aks-token";
    d.synopsis = "[kubeconfig | completion SHELL] [flags] [login flags]";
    d.description = kDescription;
    const std::vector<OptionDoc> own = proxy_option_docs();
    d.groups = {OptionGroup{"Flags", own}, login_flag_options(false)};

    CommandDoc kubeconfig;
    kubeconfig.name = "kubeconfig";
    kubeconfig.summary = "print a credential-free kubeconfig pointing at the proxy";
    kubeconfig.usage = "Usage: aks-proxy kubeconfig [--context NAME] [--kubeconfig FILE] [--address IP] [--port N]";
    kubeconfig.description = "Prints a kubeconfig whose one context's cluster is this proxy's address.\n";
    CommandDoc completion;
    completion.name = "completion";
    completion.summary = "print a shell completion script (bash, zsh or fish)";
    completion.usage = "Usage: aks-proxy completion bash|zsh|fish";
    completion.description = "Prints a completion script made from the same table the parser reads.\n";
    completion.arguments = {"bash", "zsh", "fish"};
    CommandDoc contexts;
    contexts.name = "__contexts";
    contexts.hidden = true;
    d.commands = {kubeconfig, completion, contexts};
    d.man_sections = {
        {"Exit status", "0 after SIGINT or SIGTERM; 1 when serving fails; 2 bad usage.\n"},
        {"Environment",
         "KUBECONFIG, KUBECACHEDIR (cache parent directory), BROWSER (Headlamp mode), SSL_CERT_FILE, HTTPS_PROXY\n"
         "and NO_PROXY (identity provider), and the login flags' variables (aks-token get-token --help).\n"},
        {"See also", "aks-token(1), kubectl(1)\n"},
    };
    return d;
}

std::optional<int> run_doc_command(const std::vector<std::string>& args) {
    if (args.empty()) return std::nullopt;
    const std::string& name = args.front();
    if (name == "completion") {
        if (args.size() != 2) throw UsageError("completion takes one shell: bash, zsh or fish");
        std::cout << completion_script(proxy_cli_doc(), args[1]);
        return 0;
    }
    if (name == "__man") {
        std::cout << man_page(proxy_cli_doc());
        return 0;
    }
    if (name == "__contexts") {
        std::optional<std::string> path;
        for (std::size_t i = 1; i + 1 < args.size(); ++i)
            if (args[i] == "--kubeconfig") path = args[i + 1];
        // A completion must not print errors into the prompt: nothing to offer then.
        try {
            for (const kubeconfig::Context& c : kubeconfig::load(path, process_env()).contexts)
                std::cout << c.name << '\n';
        } catch (const UsageError&) {
            return 1;
        }
        return 0;
    }
    return std::nullopt;
}

}  // namespace aks::proxy
