#include "core/lock_wait.h"

#include <algorithm>

#include "core/errors.h"

namespace aks {
namespace {

constexpr std::int64_t kPollMs = 50;

std::string holder_of(const std::string& path) {
    const std::string note = FileLock::holder_note_of(path);
    return note.empty() ? "another process" : note;
}

}  // namespace

FileLock wait_for_lock(const std::string& path, const std::string& holder_note, const LockWait& w) {
    const std::int64_t start = w.steady();
    bool noticed = false;
    for (;;) {
        if (auto lock = FileLock::try_acquire(path, holder_note)) return std::move(*lock);
        const std::int64_t now = w.steady();
        if (now >= w.deadline_ms)
            throw TransportError("gave up after " + w.limit + " waiting for " + holder_of(path) +
                                 ", which holds the lock of this identity (" + path +
                                 "); let it finish, or end it, then try again");
        if (!noticed && now - start >= kLockNoticeAfterMs) {
            noticed = true;
            if (w.notice)
                w.notice("waiting for " + holder_of(path) + " to finish signing in or refreshing this identity (up to " +
                         w.limit + ")");
        }
        w.sleep(std::min(kPollMs, w.deadline_ms - now));
    }
}

}  // namespace aks
