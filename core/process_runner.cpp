#include "core/process_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string_view>

#include "core/errors.h"
#include "core/unique_fd.h"

namespace aks {
namespace {

constexpr std::size_t kMaxOutput = 1 << 20;
constexpr int kExecFailed = 127;

std::int64_t monotonic_ms() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

void make_pipe(UniqueFd& r, UniqueFd& w) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw UsageError("cannot create a pipe to run a program");
    r.reset(fds[0]);
    w.reset(fds[1]);
}

// environ with the overlay applied, built before fork: the child of a
// threaded program may not allocate.
std::vector<std::string> child_environment(const EnvOverlay& overlay) {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
        const std::string_view entry(*e);
        const std::string_view name = entry.substr(0, entry.find('='));
        const bool replaced = std::any_of(overlay.begin(), overlay.end(), [&](const auto& o) { return o.first == name; });
        if (!replaced) env.emplace_back(entry);
    }
    for (auto it = overlay.begin(); it != overlay.end(); ++it) {
        const bool later = std::any_of(it + 1, overlay.end(), [&](const auto& o) { return o.first == it->first; });
        if (!later) env.push_back(it->first + "=" + it->second);
    }
    return env;
}

// The program to run. With a PATH in the overlay it is looked up on that
// PATH, as the plugin kubectl starts with it would look az up (execvpe
// searches ours); "" when it is not there.
std::string program_path(const std::string& name, const EnvOverlay& overlay) {
    const auto path = std::find_if(overlay.rbegin(), overlay.rend(), [](const auto& o) { return o.first == "PATH"; });
    if (path == overlay.rend() || name.find('/') != std::string::npos) return name;
    std::string_view dirs = path->second;
    while (true) {
        const std::size_t colon = dirs.find(':');
        const std::string_view dir = dirs.substr(0, colon);
        const std::string candidate = (dir.empty() ? std::string(".") : std::string(dir)) + "/" + name;
        struct stat st {};
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        if (colon == std::string_view::npos) return "";
        dirs.remove_prefix(colon + 1);
    }
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, std::int64_t timeout_seconds,
                          const EnvOverlay& overlay) {
    ProcessResult result;
    if (argv.empty()) return result;
    const std::string program = program_path(argv[0], overlay);
    if (program.empty()) return result;  // not found: started stays false
    UniqueFd out_r, out_w, err_r, err_w, exec_r, exec_w;
    make_pipe(out_r, out_w);
    make_pipe(err_r, err_w);
    make_pipe(exec_r, exec_w);  // closes on a successful exec; carries errno otherwise

    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const std::vector<std::string> env = child_environment(overlay);
    std::vector<char*> envp;
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);

    const pid_t pid = ::fork();
    if (pid < 0) throw UsageError("cannot start " + argv[0] + ": fork failed");
    if (pid == 0) {
        ::setpgid(0, 0);
        // Our programs ignore SIGPIPE and an ignored signal survives exec:
        // az gets the default back, as from a shell.
        ::signal(SIGPIPE, SIG_DFL);
        const int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
        ::dup2(out_w.get(), STDOUT_FILENO);
        ::dup2(err_w.get(), STDERR_FILENO);
        ::execvpe(program.c_str(), args.data(), envp.data());
        const int e = errno;
        (void)!::write(exec_w.get(), &e, sizeof e);
        ::_exit(kExecFailed);
    }
    out_w.reset();
    err_w.reset();
    exec_w.reset();

    int exec_errno = 0;
    const bool exec_failed = ::read(exec_r.get(), &exec_errno, sizeof exec_errno) == sizeof exec_errno;
    result.started = !exec_failed;

    // Ends when the child exits (not when its pipes close: a background
    // process it leaves behind, such as az's telemetry, may hold them open,
    // and a child may close them and go on running) or at the deadline. The
    // pidfd makes the exit wake poll; without one (old kernels) poll wakes
    // every 100 ms to look.
    const std::int64_t deadline = monotonic_ms() + (timeout_seconds > 0 ? timeout_seconds : 60) * 1000;
    const UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    pollfd fds[3] = {{out_r.get(), POLLIN, 0}, {err_r.get(), POLLIN, 0}, {pidfd ? pidfd.get() : -1, POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int status = 0;
    bool exited = false;
    for (;;) {
        const std::int64_t left = deadline - monotonic_ms();
        const bool drained = fds[0].fd < 0 && fds[1].fd < 0;
        if (!exited && ::waitpid(pid, &status, WNOHANG) == pid) exited = true;
        // After the exit, read what is still buffered without waiting.
        if (exited && (drained || left <= 0)) break;
        if (!exited && left <= 0) {
            result.timed_out = true;
            ::kill(-pid, SIGKILL);
            break;
        }
        const int wait_ms = exited ? 0 : static_cast<int>(pidfd ? left : std::min<std::int64_t>(left, 100));
        const int n = ::poll(fds, 3, wait_ms);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        if (n == 0 && exited) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buf[4096];
            const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
            if (got <= 0) {
                fds[i].fd = -1;
            } else if (sinks[i]->size() < kMaxOutput) {
                sinks[i]->append(buf, std::min(static_cast<std::size_t>(got), kMaxOutput - sinks[i]->size()));
            }
        }
        if (fds[2].revents) fds[2].fd = -1;  // the child exited: waitpid above reaps it
    }
    if (!exited) {
        ::kill(-pid, SIGKILL);  // timed out, or poll failed: never wait unbounded
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    if (!result.timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    return result;
}

}  // namespace aks
