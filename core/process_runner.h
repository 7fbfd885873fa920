#pragma once
// Runs another program (az, azd) and collects its output: the seam the CLI
// token flows are tested through.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace aks {

struct ProcessResult {
    bool started = false;    // false: the program was not found / not executable
    bool timed_out = false;  // killed after the timeout
    int exit_code = -1;      // when it exited normally
    std::string out, err;    // each capped at 1 MiB
};

// argv[0] is looked up on PATH. stdin is /dev/null; the child gets its own
// process group, which is killed on timeout.
using ProcessRunner = std::function<ProcessResult(const std::vector<std::string>& argv, std::int64_t timeout_seconds)>;

// Variables set for the child on top of this process's environment, in
// order (a later entry of a name wins): a kubeconfig exec entry's env list,
// as kubectl applies it to the plugin and so to the az it runs.
using EnvOverlay = std::vector<std::pair<std::string, std::string>>;

ProcessResult run_process(const std::vector<std::string>& argv, std::int64_t timeout_seconds,
                          const EnvOverlay& overlay = {});

}  // namespace aks
