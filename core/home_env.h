#pragma once
// HOME for processes started without it (cron, some containers, systemd
// units): the password database answers. Kept out of aks_core_fast so the
// statically linked aks-token front never touches NSS; the front hands such
// runs to aks-token-full instead.
#include "core/login_args.h"

namespace aks {

// `base`, except that an unset or empty HOME is answered from the password
// database entry of the effective user (when it has one).
EnvLookup with_account_home(EnvLookup base);

}  // namespace aks
