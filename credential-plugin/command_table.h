#pragma once
// aks-token's subcommands in one table: name, aliases, help texts, own flags
// and the function that runs it. main.cpp dispatches from it; usage.cpp
// formats --help from it; aks_token_doc() turns it (with the login flag table)
// into the CliDoc that the man page and the shell completions are made from.
#include <string>
#include <vector>

#include "core/cli_doc.h"
#include "credential-plugin/commands.h"

namespace aks {

// What else a command takes besides its own flags.
enum class LoginFlags {
    None,
    Login,    // the login flags and, instead of them, --context/--kubeconfig
    Convert,  // the login flags including the convert-only ones
};

struct CommandEntry {
    CommandDoc doc;  // name, aliases, summary, usage, description, own flag groups
    LoginFlags login = LoginFlags::None;
    Command run = nullptr;  // nullptr: main.cpp answers it (help, version, completion, __contexts, __man)
};

const std::vector<CommandEntry>& command_table();
// By name or alias; nullptr when unknown.
const CommandEntry* find_command(const std::string& name);

OptionGroup context_flag_group();
OptionGroup global_flag_group();

// Everything aks-token accepts, for the man page and the completions.
CliDoc aks_token_doc();

}  // namespace aks
