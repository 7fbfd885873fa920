// `aks-token login`: sign in now so that kubectl never has to prompt.
#include <iostream>

#include "core/sign_in_status.h"
#include "credential-plugin/command_flags.h"
#include "credential-plugin/commands.h"

namespace aks {

int run_login(const std::vector<std::string>& args, const CommandContext& ctx) {
    std::vector<std::string> rest = args;
    const bool force = take_flag(rest, flags::force());
    const LoginSettings s = login_settings_from(rest, ctx);

    // The prompt goes to stderr; whoever runs `login` is there to answer it.
    bool shown = false;
    const Token t = obtain_token(s, true, force, ctx, true, &shown);
    if (!shown) std::cerr << signed_in_line(t, s.tenant_id) << '\n' << std::flush;
    return kExitOk;
}

}  // namespace aks
