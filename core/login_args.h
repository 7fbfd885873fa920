#pragma once
// kubelogin-compatible flag and environment parsing into LoginSettings.
// Used by aks-token (its own argv) and later by aks-proxy / convert-kubeconfig
// (the args of a kubeconfig exec entry), so one context → one cache key.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/login_settings.h"

namespace aks {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup process_env();

struct ParsedLoginArgs {
    LoginSettings settings;
    std::vector<std::string> rest;  // arguments that are not login flags (subcommand's own)
    bool help = false;              // -h/--help seen
};

// Parses kubelogin's get-token flags (both "--flag value" and "--flag=value",
// short -l/-t/-e). Flags win over environment variables. Applies defaults
// (AKS server/client id, authority host from environment). Unknown flags
// starting with '-' are returned in `rest` only when `allow_unknown`,
// otherwise UsageError. Unsupported kubelogin flags such as --pop-enabled
// throw UsageError saying they are not supported.
ParsedLoginArgs parse_login_args(const std::vector<std::string>& args, const EnvLookup& env,
                                 bool allow_unknown = false);

// One login flag as written, for tools that edit flag lists (convert-kubeconfig):
// `name` is the long name without dashes ("login" for -l), `value` is empty
// for a boolean flag given bare.
struct LoginFlag {
    std::string name;
    std::string value;
    bool is_bool = false;
};
// Splits args into login flags (in order) and everything else (`rest`), with
// the same flag table and value rules as parse_login_args; UsageError for a
// missing value or an unsupported flag. Validates no values.
std::vector<LoginFlag> split_login_flags(const std::vector<std::string>& args, std::vector<std::string>& rest);

}  // namespace aks
