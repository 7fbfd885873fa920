#include "core/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/errors.h"
#include "core/terminal_text.h"

namespace aks {
namespace {

constexpr std::size_t kMaxNote = 200;

// Opens the lock file and takes the lock. Returns an empty fd when `wait` is
// false and the lock is taken. A logout may unlink the lock file while
// someone waits on it; a lock on an unlinked inode excludes nobody, so after
// locking we check that the path still names our inode and start over if not.
UniqueFd lock_file(const std::string& path, bool wait) {
    for (;;) {
        UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
        if (!fd) throw CacheError("cannot open the lock file " + path + " in the cache directory: " + std::strerror(errno));
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

// Replaces the file's content with the note. A disk that cannot take these
// few bytes cannot take the token either: say so now, before any sign-in.
void write_note(int fd, const std::string& path, const std::string& note) {
    if (note.empty()) return;
    const std::string line = note + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, line.data(), line.size(), 0) != static_cast<ssize_t>(line.size())) {
        const int err = errno;
        const std::string dir = path.substr(0, path.rfind('/'));
        throw CacheError("cannot save the token in " + dir + " (writing its lock file): " + std::strerror(err));
    }
}

}  // namespace

FileLock FileLock::acquire(const std::string& path, const std::string& holder_note) {
    UniqueFd fd = lock_file(path, true);
    write_note(fd.get(), path, holder_note);
    return FileLock(std::move(fd));
}

std::optional<FileLock> FileLock::try_acquire(const std::string& path, const std::string& holder_note) {
    UniqueFd fd = lock_file(path, false);
    if (!fd) return std::nullopt;
    write_note(fd.get(), path, holder_note);
    return FileLock(std::move(fd));
}

std::string FileLock::holder_note_of(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    if (!fd) return {};
    char buf[kMaxNote];
    const ssize_t n = ::pread(fd.get(), buf, sizeof buf, 0);
    if (n <= 0) return {};
    std::string note(buf, static_cast<std::size_t>(n));
    if (const auto eol = note.find('\n'); eol != std::string::npos) note.resize(eol);
    return terminal_line(note, kMaxNote);
}

std::string lock_holder_note() {
    std::string note = "pid " + std::to_string(::getpid());
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    const std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string argv0 = cmdline.substr(0, cmdline.find('\0'));
    const std::string program = argv0.substr(argv0.rfind('/') + 1);
    if (program.empty()) return note;
    std::string command = program;
    // The subcommand, when the second word is one (lowercase letters and '-').
    if (argv0.size() + 1 < cmdline.size()) {
        const std::string second = cmdline.substr(argv0.size() + 1, cmdline.find('\0', argv0.size() + 1) - argv0.size() - 1);
        const bool word = !second.empty() && second.size() <= 32 &&
                          second.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") == std::string::npos && second[0] != '-';
        if (word) command += " " + second;
    }
    return note + " (" + terminal_line(command, 64) + ")";
}

}  // namespace aks
