#pragma once
// Texts made from the login flag table (core/login_flags.h), so that --help
// of aks-token and aks-proxy and the README's per-mode table cannot drift
// from what the parser and convert-kubeconfig do.
#include <string>

#include "core/cli_doc.h"

namespace aks {

// "Login flags" section: each flag with its short name, value, help and the
// environment variables that stand for it (per mode, with their precedence),
// then the no-op and refused kubelogin flags. `with_convert_only` adds the
// flags only convert-kubeconfig takes (--azure-config-dir).
std::string login_flags_help(bool with_convert_only);

// The accepted login flags' names in one wrapped paragraph ("-l/--login,
// --server-id, ..."), for tools that take them besides their own (aks-proxy).
std::string login_flag_names();

// One line per login mode with its summary.
std::string login_modes_help();

// Per login mode: the flags it reads, what convert-kubeconfig keeps from an
// old entry when -l switches to it, the environment variables it reads and
// what get-token requires. Plain text (aks-token help login-modes) or a
// Markdown table (the README).
std::string login_modes_table_text();
std::string login_modes_table_markdown();

// The accepted login flags as option docs, for the man pages and shell
// completions of aks-token and aks-proxy (refused flags left out).
OptionGroup login_flag_options(bool with_convert_only);

}  // namespace aks
