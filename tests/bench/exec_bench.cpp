// exec-bench: starts commands alternately (interleaved, so machine noise hits
// all of them alike) and reports the median wall time of each run and the
// peak resident set size of the child, measured by the kernel (wait4).
//
//   exec-bench RUNS LABEL [VAR=VALUE...] CMD [ARGS...] :: LABEL ... [:: ...]
//
// The first group is the baseline for the ratios. Children get stdout and
// stdin on /dev/null; a run that exits non-zero aborts the benchmark.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

extern char** environ;

namespace {

struct Command {
    std::string label;
    std::vector<std::string> env;   // extra VAR=VALUE
    std::vector<std::string> argv;
    std::vector<double> millis;
    long max_rss_kib = 0;
};

double now_ms() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

std::vector<char*> c_strings(std::vector<std::string>& v) {
    std::vector<char*> out;
    for (auto& s : v) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

bool run_once(Command& c, std::vector<std::string>& full_env) {
    auto argv = c_strings(c.argv);
    auto envp = c_strings(full_env);
    double start = now_ms();
    pid_t pid = fork();
    if (pid < 0) {
        std::perror("fork");
        return false;
    }
    if (pid == 0) {
        int null_fd = open("/dev/null", O_RDWR);
        dup2(null_fd, 0);
        dup2(null_fd, 1);
        execve(argv[0], argv.data(), envp.data());
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    c.millis.push_back(now_ms() - start);
    c.max_rss_kib = std::max(c.max_rss_kib, usage.ru_maxrss);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "exec-bench: %s failed (status %d)\n", c.label.c_str(), status);
        return false;
    }
    return true;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: exec-bench RUNS LABEL [VAR=VALUE...] CMD [ARGS...] [:: LABEL ...]\n");
        return 2;
    }
    int runs = std::atoi(argv[1]);
    if (runs <= 0) {
        std::fprintf(stderr, "exec-bench: RUNS must be a positive number\n");
        return 2;
    }
    std::vector<Command> commands(1);
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        Command& c = commands.back();
        if (a == "::") {
            commands.emplace_back();
        } else if (c.label.empty()) {
            c.label = a;
        } else if (c.argv.empty() && a.find('=') != std::string::npos && a[0] != '/') {
            c.env.push_back(a);
        } else {
            c.argv.push_back(a);
        }
    }
    std::vector<std::vector<std::string>> envs;
    for (auto& c : commands) {
        if (c.argv.empty()) {
            std::fprintf(stderr, "exec-bench: %s has no command\n", c.label.c_str());
            return 2;
        }
        std::vector<std::string> e;
        for (char** p = environ; *p; ++p) e.emplace_back(*p);
        e.insert(e.end(), c.env.begin(), c.env.end());
        envs.push_back(std::move(e));
    }
    // Warm-up: page cache and dynamic loader caches, not measured.
    for (size_t k = 0; k < commands.size(); ++k) {
        Command warm = commands[k];
        if (!run_once(warm, envs[k])) return 1;
    }
    for (int r = 0; r < runs; ++r) {
        for (size_t k = 0; k < commands.size(); ++k) {
            if (!run_once(commands[k], envs[k])) return 1;
        }
    }
    double base = median(commands[0].millis);
    std::printf("%-28s %12s %14s %14s\n", "command", "median ms", "vs baseline", "peak RSS KiB");
    for (auto& c : commands) {
        double m = median(c.millis);
        std::printf("%-28s %12.3f %13.2fx %14ld\n", c.label.c_str(), m, base > 0 ? m / base : 0.0, c.max_rss_kib);
    }
    return 0;
}
