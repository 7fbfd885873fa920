// `aks-token get-token`: the kubectl exec credential plugin.
#include <unistd.h>

#include <iostream>

#include "core/login_args.h"
#include "credential-plugin/commands.h"
#include "credential-plugin/exec_credential.h"

namespace aks {

int run_get_token(const std::vector<std::string>& args, const CommandContext& ctx) {
    const LoginSettings s = login_settings_from(args, ctx);
    const ExecInfo info = parse_exec_info(ctx.env("KUBERNETES_EXEC_INFO"));

    // A person can answer when kubectl says so, or when stderr (where the
    // device code prompt goes) is a terminal.
    const bool interactive = info.present ? (info.interactive.value_or(false) || ::isatty(STDERR_FILENO) == 1)
                                          : (::isatty(STDIN_FILENO) == 1 || ::isatty(STDERR_FILENO) == 1);
    const Token t = obtain_token(s, interactive, false, ctx);
    std::cout << format_exec_credential(info, t) << std::flush;
    return kExitOk;
}

}  // namespace aks
