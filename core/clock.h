#pragma once
#include <cstdint>
#include <functional>

namespace aks {

// Injected wall clock (epoch seconds) and sleeper, so flows are testable.
using Clock = std::function<std::int64_t()>;
using Sleeper = std::function<void(std::int64_t milliseconds)>;
// Injected monotonic clock in milliseconds, for deadlines (--timeout).
using SteadyClock = std::function<std::int64_t()>;

Clock system_clock();
Sleeper real_sleeper();
SteadyClock steady_clock_ms();

}  // namespace aks
