#pragma once
// Tokens from another tool's sign-in: the Azure CLI (`az account
// get-access-token`) or the Azure Developer CLI (`azd auth token`). The
// tools keep their own refresh tokens; we store none.
#include <cstdint>
#include <string>
#include <vector>

#include "core/login_settings.h"
#include "core/process_runner.h"
#include "core/token.h"

namespace aks {

constexpr std::int64_t kCliDefaultTimeout = 60;

std::vector<std::string> azure_cli_command(const LoginSettings& s);
std::vector<std::string> azd_command(const LoginSettings& s);

// Throws UsageError (tool not installed), AuthError (the tool failed: its
// own error line plus advice; timeout; unreadable output).
Token run_azure_cli_flow(const LoginSettings& s, const ProcessRunner& run, std::int64_t now);
Token run_azd_flow(const LoginSettings& s, const ProcessRunner& run, std::int64_t now);

// "2024-05-01T12:34:56Z", fractions and offsets allowed; nullopt otherwise.
std::optional<std::int64_t> parse_rfc3339(const std::string& text);

}  // namespace aks
