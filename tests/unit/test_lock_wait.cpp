#include "core/lock_wait.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/errors.h"
#include "tests/unit/temp_dir.h"

using aks_test::TempDir;

namespace {

struct FakeSteady {
    std::int64_t now = 1000;
    std::vector<std::int64_t> sleeps;
    aks::LockWait wait(std::int64_t budget_ms, std::vector<std::string>& notices) {
        aks::LockWait w;
        w.steady = [this] { return now; };
        w.sleep = [this](std::int64_t ms) {
            sleeps.push_back(ms);
            now += ms;
        };
        w.deadline_ms = now + budget_ms;
        w.limit = std::to_string(budget_ms / 1000) + "s";
        w.notice = [&notices](const std::string& line) { notices.push_back(line); };
        return w;
    }
};

}  // namespace

TEST_CASE("a free lock is taken at once, with the holder's note written", "[lock_wait]") {
    TempDir t;
    const std::string path = t.path + "/k.lock";
    FakeSteady clock;
    std::vector<std::string> notices;
    {
        aks::FileLock lock = aks::wait_for_lock(path, "pid 7 (aks-token get-token)", clock.wait(5000, notices));
        CHECK(aks::FileLock::holder_note_of(path) == "pid 7 (aks-token get-token)");
    }
    CHECK(clock.sleeps.empty());
    CHECK(notices.empty());
}

TEST_CASE("a held lock: one notice after two seconds naming the holder, then a bounded give-up", "[lock_wait]") {
    TempDir t;
    const std::string path = t.path + "/k.lock";
    auto held = aks::FileLock::try_acquire(path, "pid 4242 (aks-token login)");
    REQUIRE(held);
    FakeSteady clock;
    std::vector<std::string> notices;
    CHECK_THROWS_WITH(aks::wait_for_lock(path, "pid 7", clock.wait(5000, notices)),
                      "gave up after 5s waiting for pid 4242 (aks-token login), which holds the lock of this identity (" +
                          path + "); let it finish, or end it, then try again");
    REQUIRE(notices.size() == 1);
    CHECK(notices[0] ==
          "waiting for pid 4242 (aks-token login) to finish signing in or refreshing this identity (up to 5s)");
    std::int64_t slept = 0;
    for (auto ms : clock.sleeps) slept += ms;
    CHECK(slept == 5000);
    // Still the holder's note: a waiter writes nothing.
    CHECK(aks::FileLock::holder_note_of(path) == "pid 4242 (aks-token login)");
}

TEST_CASE("a holder without a note is 'another process'; a short wait says nothing", "[lock_wait]") {
    TempDir t;
    const std::string path = t.path + "/k.lock";
    auto held = aks::FileLock::try_acquire(path);
    REQUIRE(held);
    FakeSteady clock;
    std::vector<std::string> notices;
    CHECK_THROWS_WITH(aks::wait_for_lock(path, "pid 7", clock.wait(1000, notices)),
                      Catch::StartsWith("gave up after 1s waiting for another process, which holds the lock"));
    CHECK(notices.empty());
}

TEST_CASE("the wait ends when the holder lets go", "[lock_wait]") {
    TempDir t;
    const std::string path = t.path + "/k.lock";
    auto held = aks::FileLock::try_acquire(path, "pid 1 (x)");
    REQUIRE(held);
    std::thread release([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        held.reset();
    });
    aks::LockWait w;
    w.steady = aks::steady_clock_ms();
    w.sleep = aks::real_sleeper();
    w.deadline_ms = w.steady() + 20000;
    w.limit = "20s";
    aks::FileLock mine = aks::wait_for_lock(path, "pid 2 (y)", w);
    release.join();
    CHECK(aks::FileLock::holder_note_of(path) == "pid 2 (y)");
}

TEST_CASE("lock_holder_note names this process by pid and program", "[lock_wait]") {
    const std::string note = aks::lock_holder_note();
    CHECK(note.rfind("pid " + std::to_string(::getpid()) + " (aks-unit-tests", 0) == 0);
    CHECK(note.back() == ')');
}
