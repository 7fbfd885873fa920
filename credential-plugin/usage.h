#pragma once
// Help texts of aks-token and each subcommand.
#include <string>

namespace aks {

std::string main_usage();
// Empty for an unknown subcommand.
std::string command_usage(const std::string& command);

}  // namespace aks
