#pragma once
// Which HTTP proxy (if any) the environment asks for, curl/Go style:
// HTTPS_PROXY / https_proxy for https targets, HTTP_PROXY / http_proxy for
// http targets, NO_PROXY / no_proxy exclusions.
#include <optional>
#include <string>

#include "core/login_args.h"

namespace aks {

struct ProxySetting {
    std::string host;      // without brackets for IPv6
    int port = 0;
    std::string username;  // percent-decoded userinfo; never printed
    std::string password;
    std::string variable;  // the environment variable it came from, for messages
};

// nullopt when no proxy variable is set for the scheme or NO_PROXY excludes
// host:port. Throws UsageError (naming the variable, never its value, which
// may hold a password) when the proxy URL is malformed or not http://.
std::optional<ProxySetting> proxy_for(const std::string& scheme, const std::string& host, int port,
                                      const EnvLookup& env);

}  // namespace aks
