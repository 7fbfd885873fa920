#pragma once
// The flags aks-token's subcommands take besides the login flags, one
// definition each: the parsers take them by these definitions (take_flag /
// take_option in cli_options.h), and the command table hands the same
// objects to --help, the man page and the shell completions.
#include "core/cli_doc.h"

namespace aks::flags {

const OptionDoc& context();             // --context NAME: that context's exec entry
const OptionDoc& kubeconfig();          // --kubeconfig FILE
const OptionDoc& force();               // login --force
const OptionDoc& all();                 // logout --all
const OptionDoc& status_output();       // status -o text|json
const OptionDoc& convert_context();     // convert-kubeconfig --context NAME
const OptionDoc& convert_command();     // convert-kubeconfig --command PATH
const OptionDoc& dry_run();             // convert-kubeconfig --dry-run
const OptionDoc& proxy();               // kubeconfig --proxy URL
const OptionDoc& kubeconfig_context();  // kubeconfig --context NAME
const OptionDoc& kubeconfig_output();   // kubeconfig -o FILE

// Taken before any command, anywhere on the line (cli_options.h take_global_options).
const OptionDoc& verbosity();  // -v N
const OptionDoc& help();       // -h, --help
const OptionDoc& version();    // --version

}  // namespace aks::flags
