// --context / --kubeconfig: the login settings come from the kubeconfig's exec
// entry for that context, so `aks-token login --context X` fills exactly the
// cache entry kubectl's run of that entry reads (one handle for every tool).
#include <stdlib.h>

#include "core/errors.h"
#include "credential-plugin/command_flags.h"
#include "credential-plugin/commands.h"
#include "kubeconfig/context_settings.h"

namespace aks {
namespace {

std::optional<kubeconfig::ResolvedContext> take_context(std::vector<std::string>& args, const CommandContext& ctx) {
    const auto context = take_option(args, flags::context());
    const auto path = take_option(args, flags::kubeconfig());
    if (!context && !path) return std::nullopt;
    if (context && context->empty()) throw UsageError("--context needs a context name");
    const kubeconfig::Kubeconfig kc = kubeconfig::load(path, ctx.env);
    return kubeconfig::resolve_context(kc, context.value_or(""), ctx.env);
}

}  // namespace

LoginSettings login_settings_from(const std::vector<std::string>& args, const CommandContext& ctx) {
    std::vector<std::string> rest = args;
    const auto resolved = take_context(rest, ctx);
    if (!resolved) return parse_login_flags_only(rest, ctx);
    if (!rest.empty()) {
        throw UsageError("'" + rest.front() + "' cannot be combined with --context/--kubeconfig: the login flags " +
                         "come from the kubeconfig's exec entry (user '" + resolved->user.name + "')");
    }
    // kubectl runs the plugin with the entry's env list added to its own
    // environment (CA bundle, proxy, workload identity files); so does this
    // process from here on, so both see the same identity provider.
    if (resolved->user.exec) {
        for (const auto& [name, value] : resolved->user.exec->env) ::setenv(name.c_str(), value.c_str(), 1);
    }
    return resolved->login;
}

}  // namespace aks
