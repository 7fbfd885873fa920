#pragma once
// The one redaction for everything that echoes a command line, a flag list or
// free text that may carry one (start-up hints, 401 bodies, error lines, -v):
// the values of secret flags and anything that looks like a token never
// appear. Used by aks-proxy and aks-token alike.
#include <string>
#include <string_view>
#include <vector>

namespace aks {

constexpr const char* kRedacted = "<redacted>";

// A flag whose value is a secret: its name (without leading dashes, before
// any '=') contains "secret" or "password": --client-secret, --password,
// --client-certificate-password (kubelogin's), and any later such flag.
bool is_secret_flag(std::string_view flag);

// Each argument with secrets replaced: "--client-secret=X" → "--client-secret=<redacted>",
// "--password" "X" → "--password" "<redacted>"; every argument also goes
// through redact_text.
std::vector<std::string> redact_args(const std::vector<std::string>& args);

// The same, joined with single spaces: a command line to show.
std::string redacted_command_line(const std::vector<std::string>& args);

// Token-like strings in free text replaced by kRedacted: JWTs (eyJ....x.y)
// and runs of 32 or more base64url characters (also '+', '.', '~', as in
// Entra client secrets) mixing upper case, lower case and digits. GUIDs, host
// names and path segments do not look like that.
std::string redact_text(std::string_view text);

}  // namespace aks
