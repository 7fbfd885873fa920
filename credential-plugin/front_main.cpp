// aks-token: the small front kubectl starts on every run. It answers a cache
// hit for `get-token` / `token` by itself (no OpenSSL, no HTTP library, no
// lock) and hands every other case to aks-token-full with the same argv and
// environment. It prints nothing but the final result on stdout.
#include <limits.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "credential-plugin/cache_hit.h"

namespace {

bool write_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

void say(const std::string& line) {
    const std::string text = "aks-token: " + line + "\n";
    write_all(STDERR_FILENO, text.data(), text.size());
}

bool is_executable_file(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

// Replaces this process with aks-token-full found next to our real path, or
// in ../libexec/aks-auth/ (a packaged install). Returns the exit status only
// when that fails.
int exec_full(char** argv) {
    char self[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        say("cannot find aks-token-full: /proc/self/exe is unreadable (reinstall aks-auth)");
        return 1;
    }
    self[n] = '\0';
    const std::string self_path(self);
    const std::string dir = self_path.substr(0, self_path.rfind('/') + 1);
    for (const std::string& candidate : {dir + "aks-token-full", dir + "../libexec/aks-auth/aks-token-full"}) {
        if (!is_executable_file(candidate)) continue;
        ::execv(candidate.c_str(), argv);
        say("cannot run " + candidate + ": " + std::strerror(errno));
        return 1;
    }
    say("cannot find aks-token-full next to " + self_path + " (reinstall aks-auth)");
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    // kubectl gone from the other end of stdout: a failed write we report,
    // not SIGPIPE (one system call; inherited by aks-token-full, which sets it too).
    ::signal(SIGPIPE, SIG_IGN);
    try {
        const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
        if (const auto out = aks::try_cache_hit(args, aks::process_env(), std::time(nullptr))) {
            if (write_all(STDOUT_FILENO, out->data(), out->size())) return 0;
            say(std::string("cannot write to stdout: ") + std::strerror(errno));
            return 1;
        }
    } catch (...) {
        // Any doubt: the full binary decides (and reports).
    }
    try {
        return exec_full(argv);
    } catch (...) {
        say("cannot start aks-token-full (out of memory?)");
        return 1;
    }
}
