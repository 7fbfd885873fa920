#pragma once
// Argument helpers of the aks-token command line that are not login flags
// (those belong to core/login_args), plus the lines that name an identity.
#include <optional>
#include <string>
#include <vector>

#include "core/cli_doc.h"
#include "core/login_args.h"
#include "core/login_flags.h"
#include "core/login_settings.h"

namespace aks {

struct GlobalOptions {
    int verbosity = 0;  // -v N / --v=N: >0 prints diagnostics (fingerprints only)
};

// Removes the global verbosity flag wherever it appears (-v N, -v=N, -vN,
// --v N, --v=N, as kubelogin's klog accepts). UsageError on a bad level.
GlobalOptions take_global_options(std::vector<std::string>& args);

// -h or --help anywhere.
bool wants_help(const std::vector<std::string>& args);

// Commands take their own flags by their one definition (command_flags.h,
// or the login flag table for --cache-dir), so a flag a parser takes is
// always one that --help, the man page and the completions show.

// Removes a boolean flag (`--force`); true when it was present.
// UsageError when given a value (--force=x).
bool take_flag(std::vector<std::string>& args, const OptionDoc& flag);

// Removes "--name value", "--name=value" (and "-s value" / "-s=value" for a
// short alias); returns the last value given. UsageError when the value is missing.
std::optional<std::string> take_option(std::vector<std::string>& args, const OptionDoc& flag);
std::optional<std::string> take_option(std::vector<std::string>& args, const LoginFlagSpec& flag);

// POSIX shell quoting, only when needed.
std::string shell_quote(const std::string& s);

// "aks-token login ..." that signs in the same identity into the same cache,
// independent of the caller's environment (kubectl's exec env may differ from
// the user's shell). Secrets (client secret, password, certificate password)
// are never included.
std::string login_command_line(const LoginSettings& s, const EnvLookup& env);

// Short human description of an identity key, e.g.
// "tenant T, server id S, devicecode login".
std::string identity_summary(const LoginSettings& s);

}  // namespace aks
