#include "core/process_runner.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

TEST_CASE("process runner: output, exit code, missing program, timeout", "[process_runner]") {
    auto r = aks::run_process({"sh", "-c", "echo out; echo err >&2; exit 3"}, 10);
    CHECK(r.started);
    CHECK(r.exit_code == 3);
    CHECK(r.out == "out\n");
    CHECK(r.err == "err\n");
    CHECK_FALSE(r.timed_out);

    r = aks::run_process({"aks-no-such-program-here"}, 10);
    CHECK_FALSE(r.started);

    // The child and its own children are killed on timeout.
    r = aks::run_process({"sh", "-c", "sleep 30 & sleep 30"}, 1);
    CHECK(r.timed_out);

    r = aks::run_process({"sh", "-c", "read x; echo \"[$x]\""}, 10);  // stdin is /dev/null
    CHECK(r.out == "[]\n");
}

TEST_CASE("process runner: no shell, environment kept, output bounded", "[process_runner]") {
    // Arguments reach the program as they are: nothing is expanded.
    auto r = aks::run_process({"printf", "%s", "$(echo hi) `id` ; *"}, 10);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "$(echo hi) `id` ; *");

    ::setenv("AKS_PROCESS_RUNNER_TEST", "passed-through", 1);
    r = aks::run_process({"sh", "-c", "printf %s \"$AKS_PROCESS_RUNNER_TEST\""}, 10);
    ::unsetenv("AKS_PROCESS_RUNNER_TEST");
    CHECK(r.out == "passed-through");

    r = aks::run_process({"sh", "-c", "head -c 3000000 /dev/zero"}, 10);
    CHECK(r.exit_code == 0);
    CHECK(r.out.size() == 1u << 20);
}

TEST_CASE("process runner: an exec entry's env list on top of the environment, the last entry of a name winning",
          "[process_runner]") {
    ::setenv("AKS_RUNNER_KEPT", "kept", 1);
    ::setenv("AKS_RUNNER_REPLACED", "ours", 1);
    const aks::EnvOverlay overlay{{"AKS_RUNNER_REPLACED", "first"},
                                  {"AKS_RUNNER_ADDED", "added"},
                                  {"AKS_RUNNER_REPLACED", "theirs"}};
    auto r = aks::run_process({"sh", "-c", "env | grep '^AKS_RUNNER_' | sort"}, 10, overlay);
    ::unsetenv("AKS_RUNNER_KEPT");
    ::unsetenv("AKS_RUNNER_REPLACED");
    CHECK(r.exit_code == 0);
    CHECK(r.out == "AKS_RUNNER_ADDED=added\nAKS_RUNNER_KEPT=kept\nAKS_RUNNER_REPLACED=theirs\n");
    // Without one, the environment as it is.
    r = aks::run_process({"sh", "-c", "env | grep -c '^AKS_RUNNER_' || true"}, 10);
    CHECK(r.out == "0\n");
}

TEST_CASE("process runner: a PATH in the env list chooses the program, as it would for the plugin kubectl runs",
          "[process_runner]") {
    char dir_template[] = "/tmp/aks-runner-XXXXXX";
    const std::string dir = ::mkdtemp(dir_template);
    const std::string probe = dir + "/aks-runner-probe";
    {
        std::ofstream f(probe);
        f << "#!/bin/sh\necho found-on-the-entry-path\n";
    }
    ::chmod(probe.c_str(), 0700);
    auto r = aks::run_process({"aks-runner-probe"}, 10, {{"PATH", "/nonexistent:" + dir + ":/usr/bin:/bin"}});
    CHECK(r.started);
    CHECK(r.out == "found-on-the-entry-path\n");
    // Not on that PATH (it is on none of ours either): not found.
    r = aks::run_process({"aks-runner-probe"}, 10, {{"PATH", "/usr/bin:/bin"}});
    CHECK_FALSE(r.started);
    // A later entry of PATH wins.
    r = aks::run_process({"aks-runner-probe"}, 10, {{"PATH", "/usr/bin"}, {"PATH", dir}});
    CHECK(r.out == "found-on-the-entry-path\n");
    ::unlink(probe.c_str());
    ::rmdir(dir.c_str());
}

TEST_CASE("process runner: ends with the child, not with its pipes", "[process_runner]") {
    // A background process left holding stdout (az telemetry does this) does
    // not keep us waiting: the child's exit ends the run.
    auto r = aks::run_process({"sh", "-c", "sleep 30 & echo $!; exit 0"}, 20);
    CHECK_FALSE(r.timed_out);
    CHECK(r.exit_code == 0);
    REQUIRE(!r.out.empty());
    ::kill(static_cast<pid_t>(std::stol(r.out)), SIGKILL);

    // A child that closes its pipes but keeps running is still timed out.
    r = aks::run_process({"sh", "-c", "exec >/dev/null 2>&1; sleep 30"}, 1);
    CHECK(r.timed_out);
}
