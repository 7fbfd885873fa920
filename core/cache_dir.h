#pragma once
#include <string>

#include "core/login_args.h"

namespace aks {

// --cache-dir, else $KUBECACHEDIR/aks-auth, else $HOME/.kube/cache/aks-auth.
std::string resolve_cache_dir(const std::string& flag_value, const EnvLookup& env);

// Creates the directory (and missing parents) with mode 0700 and checks it:
// owned by the current user and not group/world-writable, else CacheError
// with a message that names the directory and the fix (chmod/chown).
void ensure_private_dir(const std::string& dir);

// Same checks without creating anything; returns false when it doesn't exist.
bool check_private_dir(const std::string& dir);

}  // namespace aks
