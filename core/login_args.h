#pragma once
// kubelogin-compatible flag and environment parsing into LoginSettings,
// driven by the flag table (core/login_flags.h). Used by aks-token (its own
// argv), by aks-proxy and by the kubeconfig code (the args of an exec
// entry), so one context gives one cache key everywhere.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/login_flags.h"
#include "core/login_settings.h"

namespace aks {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup process_env();

struct ParsedLoginArgs {
    LoginSettings settings;
    std::vector<std::string> rest;  // arguments that are not login flags (subcommand's own)
    bool help = false;              // -h/--help seen
};

// What the parse must find, besides well-formed values.
enum class LoginCheck {
    // get-token: every value the mode needs, from a flag or the environment.
    GetToken,
    // A kubeconfig entry as convert-kubeconfig writes it: the values
    // kubelogin's converter requires of the entry itself (a tenant for the
    // user sign-ins and spn, a client id for spn); values that get-token may
    // take from the environment at run time (spn secret, ropc user,
    // workload identity's webhook variables) are not required.
    Conversion,
};

// Parses kubelogin's get-token flags ("--flag value", "--flag=value", short
// "-l value", "-lvalue", "-l=value", as pflag does) and their environment
// variables with kubelogin's precedence (see the table), applies the
// defaults (AKS server and client id, the cloud's authority host) and checks
// every given value whatever the mode. A flag the mode does not read is
// accepted and ignored, as in kubelogin. Unknown flags go to `rest` only when
// `allow_unknown`, otherwise UsageError; flags kubelogin has and aks-token
// refuses (--pop-enabled) are a UsageError saying so.
ParsedLoginArgs parse_login_args(const std::vector<std::string>& args, const EnvLookup& env,
                                 bool allow_unknown = false, LoginCheck check = LoginCheck::GetToken);

// One login flag as written, for tools that edit flag lists (convert-kubeconfig,
// aks-proxy): `name` is the long name as given ("login" for -l,
// "token-cache-dir" stays), `value` is empty for a boolean flag given bare.
struct LoginFlag {
    std::string name;
    std::string value;
    bool is_bool = false;
    const LoginFlagSpec* spec = nullptr;
};
// Splits args into login flags (in order) and everything else (`rest`: -h,
// -v N, unknown flags, positionals, "--" and what follows), with the same
// rules as parse_login_args; UsageError for a missing value, a boolean that
// is not true/false, or a refused flag. Checks no other value.
std::vector<LoginFlag> split_login_flags(const std::vector<std::string>& args, std::vector<std::string>& rest);

// Checks one value of `f` as get-token does (tenant syntax, cloud name, https
// authority host, positive timeout, loopback redirect URL, https OIDC
// issuer); `source` names where it came from in the message (the flag or an
// environment variable). Secrets are never shown.
void check_login_flag_value(const LoginFlagSpec& f, const std::string& value, const std::string& source);

// Go's strconv.ParseBool, which pflag uses for "--flag=value".
std::optional<bool> parse_go_bool(const std::string& v);

}  // namespace aks
