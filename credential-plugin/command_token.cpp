// `aks-token token`: the bare access token, for scripts.
#include <unistd.h>

#include <iostream>

#include "credential-plugin/commands.h"

namespace aks {

int run_token(const std::vector<std::string>& args, const CommandContext& ctx) {
    const LoginSettings s = login_settings_from(args, ctx);
    const bool interactive = ::isatty(STDIN_FILENO) == 1 || ::isatty(STDERR_FILENO) == 1;
    const Token t = obtain_token(s, interactive, false, ctx);
    std::cout << t.access_token << '\n' << std::flush;
    return kExitOk;
}

}  // namespace aks
