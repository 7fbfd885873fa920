#pragma once
// Exclusive flock on a per-key lock file next to the cache (never a global
// lock in /tmp). Released when the object is destroyed. The holder writes a
// note into the file (its pid and command), so that a process waiting for
// the lock can say whom it waits for.
#include <optional>
#include <string>

#include "core/unique_fd.h"

namespace aks {

class FileLock {
public:
    // Blocks until the lock is held. Creates the file 0600. Throws CacheError.
    static FileLock acquire(const std::string& path, const std::string& holder_note = {});
    // Same without waiting: nullopt when another open file holds the lock.
    static std::optional<FileLock> try_acquire(const std::string& path, const std::string& holder_note = {});
    // The note the current (or last) holder wrote, one line, "" when none.
    static std::string holder_note_of(const std::string& path);
    FileLock(FileLock&&) = default;
    FileLock& operator=(FileLock&&) = default;

private:
    explicit FileLock(UniqueFd fd) : fd_(std::move(fd)) {}
    UniqueFd fd_;
};

// "pid 4242 (aks-token login)": this process as a lock holder note. Only the
// program's base name and its subcommand, never flag values (which may be secrets).
std::string lock_holder_note();

}  // namespace aks
