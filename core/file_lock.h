#pragma once
// Exclusive flock on a per-key lock file next to the cache (never a global
// lock in /tmp). Released when the object is destroyed.
#include <optional>
#include <string>

#include "core/unique_fd.h"

namespace aks {

class FileLock {
public:
    // Blocks until the lock is held. Creates the file 0600. Throws CacheError.
    static FileLock acquire(const std::string& path);
    // Same without waiting: nullopt when another open file holds the lock.
    static std::optional<FileLock> try_acquire(const std::string& path);
    FileLock(FileLock&&) = default;
    FileLock& operator=(FileLock&&) = default;

private:
    explicit FileLock(UniqueFd fd) : fd_(std::move(fd)) {}
    UniqueFd fd_;
};

}  // namespace aks
