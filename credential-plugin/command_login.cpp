// `aks-token login`: sign in now so that kubectl never has to prompt.
#include <iostream>

#include "core/expiry.h"
#include "credential-plugin/command_flags.h"
#include "credential-plugin/commands.h"

namespace aks {

int run_login(const std::vector<std::string>& args, const CommandContext& ctx) {
    std::vector<std::string> rest = args;
    const bool force = take_flag(rest, flags::force());
    const LoginSettings s = login_settings_from(rest, ctx);

    // The prompt goes to stderr; whoever runs `login` is there to answer it.
    const Token t = obtain_token(s, true, force, ctx);

    const std::string who = !t.claims.upn.empty() ? t.claims.upn : !t.claims.oid.empty() ? t.claims.oid : "unknown user";
    const std::string tenant = !t.claims.tid.empty() ? t.claims.tid : s.tenant_id;
    std::cerr << "Signed in as " << who << " (tenant " << tenant << "); token valid until " << rfc3339_utc(t.expires_on)
              << '\n'
              << std::flush;
    return kExitOk;
}

}  // namespace aks
