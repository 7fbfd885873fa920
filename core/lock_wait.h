#pragma once
// Waiting for another process's lock on an identity (DESIGN.md "The token
// cache"): bounded by a deadline, and after about two seconds one line says
// whom we wait for (the holder's note in the lock file).
#include <cstdint>
#include <functional>
#include <string>

#include "core/clock.h"
#include "core/file_lock.h"

namespace aks {

constexpr std::int64_t kLockNoticeAfterMs = 2000;

struct LockWait {
    SteadyClock steady;
    Sleeper sleep;
    std::int64_t deadline_ms = 0;                    // steady clock; the wait ends there
    std::string limit;                               // the time limit in messages ("60s")
    std::function<void(const std::string&)> notice;  // the one "waiting for ..." line; may be empty
};

// Takes the lock at `path` (writing `holder_note` into it), polling until
// `w.deadline_ms`. Throws TransportError "gave up after Ns waiting for pid N
// (aks-token login), which holds the lock ..." when the time is up, CacheError
// when the lock file cannot be used.
FileLock wait_for_lock(const std::string& path, const std::string& holder_note, const LockWait& w);

}  // namespace aks
