#include "core/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "core/errors.h"

namespace aks {
namespace {

// Opens the lock file and takes the lock. Returns an empty fd when `wait` is
// false and the lock is taken. A logout may unlink the lock file while
// someone waits on it; a lock on an unlinked inode excludes nobody, so after
// locking we check that the path still names our inode and start over if not.
UniqueFd lock_file(const std::string& path, bool wait) {
    for (;;) {
        UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
        if (!fd) throw CacheError("cannot open lock file " + path + ": " + std::strerror(errno));
        int rc;
        do {
            rc = ::flock(fd.get(), LOCK_EX | (wait ? 0 : LOCK_NB));
        } while (rc != 0 && errno == EINTR);
        if (rc != 0) {
            if (!wait && errno == EWOULDBLOCK) return UniqueFd();
            throw CacheError("cannot lock " + path + ": " + std::strerror(errno));
        }
        struct stat held, named;
        if (::fstat(fd.get(), &held) != 0) throw CacheError("cannot stat lock file " + path + ": " + std::strerror(errno));
        if (::lstat(path.c_str(), &named) == 0) {
            if (named.st_dev == held.st_dev && named.st_ino == held.st_ino) return fd;
        } else if (errno != ENOENT) {
            throw CacheError("cannot stat lock file " + path + ": " + std::strerror(errno));
        }
        // Unlinked or replaced while we waited: lock whatever the path names now.
    }
}

}  // namespace

FileLock FileLock::acquire(const std::string& path) { return FileLock(lock_file(path, true)); }

std::optional<FileLock> FileLock::try_acquire(const std::string& path) {
    UniqueFd fd = lock_file(path, false);
    if (!fd) return std::nullopt;
    return FileLock(std::move(fd));
}

}  // namespace aks
