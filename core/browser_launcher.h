#pragma once
// Opens a URL in the person's browser without a terminal: $BROWSER first
// (a ':'-separated list; "%s" is replaced by the URL, else the URL is the
// last argument), then xdg-open (with a display), wslview (WSL), open (macOS).
// The browser runs detached, with stdin/stdout/stderr on /dev/null, so
// nothing it prints reaches kubectl's ExecCredential and no pipe stays open.
#include <functional>
#include <string>
#include <vector>

#include "core/login_args.h"

namespace aks {

// True when a browser program was started.
using BrowserOpener = std::function<bool(const std::string& url)>;

// The commands that would be tried, in order (exposed for tests).
std::vector<std::vector<std::string>> browser_commands(const std::string& url, const EnvLookup& env);

BrowserOpener system_browser(const EnvLookup& env);

}  // namespace aks
