// `aks-token convert-kubeconfig`: rewrite the AKS users of a kubeconfig to
// run aks-token (kubelogin's convert-kubeconfig flags are accepted).
#include <iostream>

#include "core/errors.h"
#include "credential-plugin/command_flags.h"
#include "credential-plugin/commands.h"
#include "kubeconfig/convert_kubeconfig.h"
#include "kubeconfig/yaml_file.h"

namespace aks {

int run_convert_kubeconfig(const std::vector<std::string>& args, const CommandContext& ctx) {
    std::vector<std::string> rest = args;
    kubeconfig::ConvertOptions opts;
    opts.context = take_option(rest, flags::convert_context()).value_or("");
    const auto path = take_option(rest, flags::kubeconfig());
    if (auto command = take_option(rest, flags::convert_command())) {
        if (command->empty()) throw UsageError("--command needs a program name or path");
        opts.command = *command;
    }
    const bool dry_run = take_flag(rest, flags::dry_run());

    std::vector<std::string> unknown;
    opts.flags = split_login_flags(rest, unknown);
    if (!unknown.empty()) {
        throw UsageError("unexpected argument '" + unknown.front() + "' (see aks-token convert-kubeconfig --help)");
    }
    opts.env = ctx.env;

    const kubeconfig::Kubeconfig kc = kubeconfig::load(path, ctx.env);
    // Plan every file first: a problem in any of them writes nothing.
    const auto plans = kubeconfig::plan_conversion(kc, opts);
    if (plans.empty()) {
        std::cerr << "No AKS users (azure auth-provider, kubelogin or aks-token exec entries) in "
                  << (kc.files.empty() ? std::string("the kubeconfig") : kc.files.front()) << "; nothing to convert\n";
        return kExitOk;
    }
    // What was left out, and secrets written in plain text: one line each.
    for (const auto& plan : plans) {
        for (const auto& u : plan.users) {
            if (!u.changed) continue;
            for (const auto& note : u.notes) std::cerr << note << '\n';
        }
    }
    bool first = true;
    for (const auto& plan : plans) {
        if (!plan.changed) {
            std::cerr << plan.path << ": already uses aks-token; nothing to change\n";
            continue;
        }
        if (dry_run) {
            if (!first) std::cout << "---\n";
            std::cout << "# " << plan.path << " after aks-token convert-kubeconfig\n" << plan.new_text;
            first = false;
            continue;
        }
        kubeconfig::replace_file(plan.path, plan.new_text, true);
        for (const auto& u : plan.users) {
            if (!u.changed) continue;
            std::cerr << "Converted user '" << u.name << "' (" << kubeconfig::describe_kind(u.kind) << ") in "
                      << plan.path << '\n';
        }
        std::cerr << "The previous version is in " << plan.path << ".bak\n";
    }
    return kExitOk;
}

}  // namespace aks
