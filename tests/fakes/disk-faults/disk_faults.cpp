// libaks-disk-faults.so: an LD_PRELOAD shim that makes file system calls fail
// on demand, for tests of a full disk, a read-only or an unreadable cache
// directory, and of a writer killed between write and rename. It touches only
// files whose path contains $AKS_FAULT_PATH (the test's cache directory), so
// the program's other I/O (stderr, sockets, certificates) is left alone.
//
//   AKS_FAULT_PATH=/tmp/x/cache      which files (substring of the path; required)
//   AKS_FAULT=write:ENOSPC,fsync:EIO  calls to fail and the errno they set; calls:
//                                    write (write and pwrite), fsync, rename, mkostemp, open
//   AKS_FAULT_RENAME_DELAY_MS=300    sleep before a matching rename (a window
//                                    in which the writer can be killed)
//
// The dynamic aks-token-full is affected; the static aks-token front execs it
// with the same environment.
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

namespace {

const char* fault_path() {
    const char* p = std::getenv("AKS_FAULT_PATH");
    return p && *p ? p : nullptr;
}

// errno to inject for `call`, 0 for none.
int injected_errno(const char* call) {
    const char* spec = std::getenv("AKS_FAULT");
    if (!spec || !fault_path()) return 0;
    static const struct {
        const char* name;
        int value;
    } names[] = {{"ENOSPC", ENOSPC}, {"EIO", EIO}, {"EROFS", EROFS}, {"EACCES", EACCES},
                 {"EDQUOT", EDQUOT}, {"EPERM", EPERM}};
    const std::string s = spec;
    const std::string want = std::string(call) + ":";
    for (std::size_t pos = 0; pos < s.size();) {
        std::size_t end = s.find(',', pos);
        if (end == std::string::npos) end = s.size();
        const std::string item = s.substr(pos, end - pos);
        if (item.compare(0, want.size(), want) == 0) {
            const std::string err = item.substr(want.size());
            for (const auto& n : names)
                if (err == n.name) return n.value;
            return EIO;
        }
        pos = end + 1;
    }
    return 0;
}

bool path_matches(const char* path) { return path && fault_path() && std::strstr(path, fault_path()); }

bool fd_matches(int fd) {
    if (!fault_path()) return false;
    char link[64], target[PATH_MAX];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    const ssize_t n = ::readlink(link, target, sizeof target - 1);
    if (n <= 0) return false;
    target[n] = '\0';
    return path_matches(target);
}

template <class F>
F real(const char* name) {
    return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" {

ssize_t write(int fd, const void* buf, size_t count) {
    static auto next = real<ssize_t (*)(int, const void*, size_t)>("write");
    if (fd > 2 && fd_matches(fd)) {
        if (const int e = injected_errno("write")) {
            errno = e;
            return -1;
        }
    }
    return next(fd, buf, count);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
    static auto next = real<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite");
    if (fd > 2 && fd_matches(fd)) {
        if (const int e = injected_errno("write")) {
            errno = e;
            return -1;
        }
    }
    return next(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off_t offset) { return pwrite(fd, buf, count, offset); }

int fsync(int fd) {
    static auto next = real<int (*)(int)>("fsync");
    if (fd_matches(fd)) {
        if (const int e = injected_errno("fsync")) {
            errno = e;
            return -1;
        }
    }
    return next(fd);
}

int rename(const char* from, const char* to) {
    static auto next = real<int (*)(const char*, const char*)>("rename");
    if (path_matches(to)) {
        if (const char* ms = std::getenv("AKS_FAULT_RENAME_DELAY_MS")) {
            const long delay = std::atol(ms);
            const timespec ts{delay / 1000, (delay % 1000) * 1000000};
            ::nanosleep(&ts, nullptr);
        }
        if (const int e = injected_errno("rename")) {
            errno = e;
            return -1;
        }
    }
    return next(from, to);
}

int mkostemp(char* templ, int flags) {
    static auto next = real<int (*)(char*, int)>("mkostemp");
    if (path_matches(templ)) {
        if (const int e = injected_errno("mkostemp")) {
            errno = e;
            return -1;
        }
    }
    return next(templ, flags);
}

int open(const char* path, int flags, ...) {
    static auto next = real<int (*)(const char*, int, ...)>("open");
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = static_cast<mode_t>(va_arg(ap, int));
        va_end(ap);
    }
    if (path_matches(path)) {
        if (const int e = injected_errno("open")) {
            errno = e;
            return -1;
        }
    }
    return next(path, flags, mode);
}

}  // extern "C"
