#pragma once
// aks-proxy's command line as a CliDoc (its flag table and the login flags),
// and the commands made from it: `aks-proxy completion bash|zsh|fish`, and the
// hidden `__contexts` (context names for --context) and `__man`.
#include <optional>
#include <string>
#include <vector>

#include "core/cli_doc.h"

namespace aks::proxy {

CliDoc proxy_cli_doc();

// When args name one of those commands: runs it and returns the exit code.
std::optional<int> run_doc_command(const std::vector<std::string>& args);

}  // namespace aks::proxy
