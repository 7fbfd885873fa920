#pragma once
// The subcommands of aks-token-full. Each returns the exit code and throws
// the errors of core/errors.h, which main turns into one stderr line.
#include <string>
#include <vector>

#include "core/login_args.h"
#include "core/login_settings.h"
#include "core/token.h"
#include "credential-plugin/cli_options.h"

namespace aks {

// Exit codes (see main_usage()).
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitInteractionRequired = 3;

struct CommandContext {
    GlobalOptions global;
    EnvLookup env;
};

using Command = int (*)(const std::vector<std::string>& args, const CommandContext& ctx);

int run_get_token(const std::vector<std::string>& args, const CommandContext& ctx);
int run_token(const std::vector<std::string>& args, const CommandContext& ctx);
int run_login(const std::vector<std::string>& args, const CommandContext& ctx);
int run_logout(const std::vector<std::string>& args, const CommandContext& ctx);
int run_status(const std::vector<std::string>& args, const CommandContext& ctx);

// Shared by the commands: login flags only (anything else is a UsageError).
LoginSettings parse_login_flags_only(const std::vector<std::string>& args, const CommandContext& ctx);

// --context X / --kubeconfig F (context_login.cpp): that context's exec entry
// decides, and its env list is applied to this process as kubectl would; no
// other login flags are allowed then. Without either: parse_login_flags_only.
LoginSettings login_settings_from(const std::vector<std::string>& args, const CommandContext& ctx);

// kubeconfig commands (command_convert_kubeconfig.cpp, command_kubeconfig.cpp).
// Completion and documentation (command_completion.cpp): `completion SHELL`,
// and the hidden `__contexts` (context names for --context) and `__man`.
int run_completion(const std::vector<std::string>& args, const CommandContext& ctx);
int run_list_contexts(const std::vector<std::string>& args, const CommandContext& ctx);
int run_man_page(const std::vector<std::string>& args, const CommandContext& ctx);

int run_convert_kubeconfig(const std::vector<std::string>& args, const CommandContext& ctx);
int run_kubeconfig(const std::vector<std::string>& args, const CommandContext& ctx);

// acquire_token with the real clock, sleeper and HTTP client; prompts and -v
// diagnostics on stderr. InteractionRequired is rethrown naming the exact
// `aks-token login ...` to run.
Token obtain_token(const LoginSettings& s, bool interactive_allowed, bool force_login, const CommandContext& ctx);

}  // namespace aks
