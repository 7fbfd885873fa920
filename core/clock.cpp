#include "core/clock.h"

#include <chrono>
#include <ctime>
#include <thread>

namespace aks {

Clock system_clock() {
    return [] { return static_cast<std::int64_t>(std::time(nullptr)); };
}

Sleeper real_sleeper() {
    return [](std::int64_t milliseconds) {
        if (milliseconds > 0) std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
    };
}

SteadyClock steady_clock_ms() {
    return [] {
        return static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::steady_clock::now().time_since_epoch())
                                             .count());
    };
}

}  // namespace aks
