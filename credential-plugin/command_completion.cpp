// `aks-token completion bash|zsh|fish`, and the two hidden commands the
// completion scripts and the build use: `__contexts` (the kubeconfig's context
// names, for --context) and `__man` (the man page).
#include <iostream>

#include "core/cli_doc.h"
#include "core/errors.h"
#include "credential-plugin/command_flags.h"
#include "credential-plugin/command_table.h"
#include "credential-plugin/commands.h"
#include "kubeconfig/kubeconfig.h"

namespace aks {

int run_completion(const std::vector<std::string>& args, const CommandContext&) {
    if (args.size() != 1) throw UsageError("completion takes one shell: bash, zsh or fish");
    std::cout << completion_script(aks_token_doc(), args.front());
    return kExitOk;
}

int run_list_contexts(const std::vector<std::string>& args, const CommandContext& ctx) {
    std::vector<std::string> rest = args;
    const auto path = take_option(rest, flags::kubeconfig());
    if (!rest.empty()) throw UsageError("__contexts takes only --kubeconfig FILE");
    // A completion must not print errors into the user's prompt: no
    // kubeconfig, or a broken one, simply offers nothing.
    try {
        for (const kubeconfig::Context& c : kubeconfig::load(path, ctx.env).contexts) std::cout << c.name << '\n';
    } catch (const UsageError&) {
        return kExitFailure;
    }
    return kExitOk;
}

int run_man_page(const std::vector<std::string>& args, const CommandContext&) {
    if (!args.empty()) throw UsageError("__man takes no arguments");
    std::cout << man_page(aks_token_doc());
    return kExitOk;
}

}  // namespace aks
