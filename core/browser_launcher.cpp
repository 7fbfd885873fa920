#include "core/browser_launcher.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include "core/unique_fd.h"

namespace aks {
namespace {

std::string env_value(const EnvLookup& env, const char* name) {
    return env ? env(name).value_or("") : std::string();
}

// Splits a $BROWSER entry into words as a shell would for plain words and
// '...' / "..." quoting (Python's webbrowser uses shlex the same way); the
// quotes are not passed on. Nothing else is interpreted: no shell runs.
std::vector<std::string> words(const std::string& s) {
    std::vector<std::string> out;
    std::string word;
    bool in_word = false;
    char quote = 0;
    for (const char c : s) {
        if (quote) {
            if (c == quote) quote = 0;
            else word += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            in_word = true;
        } else if (c == ' ' || c == '\t') {
            if (in_word) out.push_back(word);
            word.clear();
            in_word = false;
        } else {
            word += c;
            in_word = true;
        }
    }
    if (in_word) out.push_back(word);
    return out;
}

// Starts argv detached (double fork, new session). True when exec succeeded.
bool spawn_detached(const std::vector<std::string>& argv) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    UniqueFd exec_r(fds[0]), exec_w(fds[1]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);

    const pid_t child = ::fork();
    if (child < 0) return false;
    if (child == 0) {
        ::setsid();
        ::signal(SIGPIPE, SIG_DFL);  // ignored by us; an ignored signal would survive exec
        const pid_t grandchild = ::fork();
        if (grandchild != 0) ::_exit(grandchild < 0 ? 127 : 0);  // the grandchild is adopted by init: no zombie
        // The browser may outlive us: it must hold none of our pipes (kubectl
        // or Headlamp could wait for EOF on them) nor the listener's socket.
        const int devnull = ::open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            ::dup2(devnull, STDIN_FILENO);
            ::dup2(devnull, STDOUT_FILENO);
            ::dup2(devnull, STDERR_FILENO);
        }
        for (int fd = 3; fd < 1024; ++fd)
            if (fd != exec_w.get()) ::close(fd);
        ::execvp(args[0], args.data());
        const int e = errno;
        (void)!::write(exec_w.get(), &e, sizeof e);
        ::_exit(127);
    }
    exec_w.reset();
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    // The write end is open in the grandchild until its exec: EOF means the
    // browser started, an errno that it did not.
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return false;
    int exec_errno = 0;
    return ::read(exec_r.get(), &exec_errno, sizeof exec_errno) == 0;
}

}  // namespace

std::vector<std::vector<std::string>> browser_commands(const std::string& url, const EnvLookup& env) {
    std::vector<std::vector<std::string>> out;
    const std::string browser = env_value(env, "BROWSER");
    std::size_t start = 0;
    while (!browser.empty() && start <= browser.size()) {
        std::size_t end = browser.find(':', start);
        if (end == std::string::npos) end = browser.size();
        std::vector<std::string> cmd = words(browser.substr(start, end - start));
        if (!cmd.empty()) {
            bool substituted = false;
            for (auto& w : cmd) {
                if (const auto p = w.find("%s"); p != std::string::npos) {
                    w.replace(p, 2, url);
                    substituted = true;
                }
            }
            if (!substituted) cmd.push_back(url);
            out.push_back(cmd);
        }
        start = end + 1;
    }
    if (!env_value(env, "DISPLAY").empty() || !env_value(env, "WAYLAND_DISPLAY").empty())
        out.push_back({"xdg-open", url});
    if (!env_value(env, "WSL_DISTRO_NAME").empty()) out.push_back({"wslview", url});
#ifdef __APPLE__
    out.push_back({"open", url});
#endif
    return out;
}

BrowserOpener system_browser(const EnvLookup& env) {
    return [env](const std::string& url) {
        for (const auto& cmd : browser_commands(url, env)) {
            if (spawn_detached(cmd)) return true;
        }
        return false;
    };
}

}  // namespace aks
