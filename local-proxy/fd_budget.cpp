#include "local-proxy/fd_budget.h"

#include <dirent.h>
#include <sys/resource.h>

#include <algorithm>
#include <climits>

namespace aks::proxy {

long raise_open_file_limit() {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1024;
    if (rl.rlim_cur < rl.rlim_max) {
        rlimit raised = rl;
        raised.rlim_cur = rl.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) rl = raised;
    }
    return rl.rlim_cur == RLIM_INFINITY ? LONG_MAX : static_cast<long>(std::min<rlim_t>(rl.rlim_cur, LONG_MAX));
}

long open_descriptors() {
    DIR* dir = ::opendir("/proc/self/fd");
    if (!dir) return 64;
    long n = 0;
    while (const dirent* e = ::readdir(dir))
        if (e->d_name[0] != '.') ++n;
    ::closedir(dir);
    return n;
}

ConnectionLimit connection_limit(int requested, int default_value, long open_file_limit, long in_use) {
    // Room for what the process opens later besides connections: the upstream
    // pool's spares, cache files, the reserve descriptor, DNS.
    constexpr long kSpare = 32;
    const long budget = std::max(1L, (open_file_limit - in_use - kSpare) / 2);
    ConnectionLimit out;
    if (requested <= 0) {
        out.value = static_cast<int>(std::min<long>(default_value, budget));
        return out;
    }
    out.value = requested;
    if (requested > budget)
        out.warning = "--max-connections " + std::to_string(requested) + " is more than the open-file limit (" +
                      std::to_string(open_file_limit) + ") leaves room for (about " + std::to_string(budget) +
                      "); past that, new connections are refused when descriptors run out";
    return out;
}

}  // namespace aks::proxy
