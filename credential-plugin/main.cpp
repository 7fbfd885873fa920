// aks-token-full: every aks-token subcommand. The small front (aks-token)
// execs this binary with its own argv for anything but a cache hit.
#include <iostream>

#include "core/errors.h"
#include "core/home_env.h"
#include "credential-plugin/command_table.h"
#include "credential-plugin/commands.h"
#include "credential-plugin/usage.h"

namespace {

// Error lines must stay one line whatever a message carries.
void report(const char* what) {
    std::string line = what;
    for (char& c : line) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    std::cerr << "aks-token: " << line << '\n' << std::flush;
}

int run(std::vector<std::string> args) {
    aks::CommandContext ctx;
    ctx.global = aks::take_global_options(args);
    ctx.env = aks::with_account_home(aks::process_env());

    if (args.empty()) {
        std::cerr << aks::main_usage();
        return aks::kExitUsage;
    }
    const std::string name = args.front();
    const std::vector<std::string> rest(args.begin() + 1, args.end());

    if (name == "--version" || name == "version") {
        if (aks::wants_help(rest)) {
            std::cout << aks::command_usage("version");
        } else if (!rest.empty()) {
            throw aks::UsageError("version takes no arguments");
        } else {
            std::cout << "aks-token " << AKS_AUTH_VERSION << '\n';
        }
        return aks::kExitOk;
    }
    if (name == "--help" || name == "-h" || name == "help") {
        if (rest.empty()) {
            std::cout << aks::main_usage();
            return aks::kExitOk;
        }
        const std::string text = aks::command_usage(rest.front());
        if (text.empty()) throw aks::UsageError("no help for unknown subcommand '" + rest.front() + "'");
        std::cout << text;
        return aks::kExitOk;
    }

    const aks::CommandEntry* entry = aks::find_command(name);
    if (!entry || !entry->run) {
        if (!name.empty() && name[0] == '-') {
            throw aks::UsageError("unknown flag " + name + " before the command (see aks-token --help)");
        }
        throw aks::UsageError("unknown subcommand '" + name + "' (see aks-token --help)");
    }
    if (aks::wants_help(rest)) {
        std::cout << aks::command_usage(name);
        return aks::kExitOk;
    }
    return entry->run(rest, ctx);
}

}  // namespace

int main(int argc, char** argv) {
    int code = aks::kExitFailure;
    try {
        code = run(std::vector<std::string>(argv + (argc > 0 ? 1 : 0), argv + argc));
        std::cout.flush();
        if (!std::cout) {
            report("cannot write to stdout");
            return aks::kExitFailure;
        }
    } catch (const aks::UsageError& e) {
        report(e.what());
        code = aks::kExitUsage;
    } catch (const aks::InteractionRequired& e) {
        report(e.what());
        code = aks::kExitInteractionRequired;
    } catch (const std::exception& e) {
        report(e.what());
        code = aks::kExitFailure;
    } catch (...) {
        report("unexpected internal error");
        code = aks::kExitFailure;
    }
    return code;
}
