#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <future>
#include <thread>

#include "core/errors.h"
#include "core/file_lock.h"
#include "tests/unit/temp_dir.h"

using aks_test::TempDir;

using aks::FileLock;

namespace {

// Forks a child that tries a non-blocking lock on `path` and reports 'y'
// (got it) or 'n' (held elsewhere) through a pipe.
char other_process_try_lock(const std::string& path) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(fds[0]);
        const int fd = ::open(path.c_str(), O_RDWR);
        const char answer = (fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) == 0) ? 'y' : 'n';
        (void)!::write(fds[1], &answer, 1);
        ::_exit(0);
    }
    ::close(fds[1]);
    char answer = '?';
    (void)!::read(fds[0], &answer, 1);
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return answer;
}

}  // namespace

TEST_CASE("a held lock excludes another process until released", "[file_lock]") {
    TempDir t;
    const std::string path = t.path + "/k.lock";
    {
        FileLock lock = FileLock::acquire(path);
        struct stat st;
        REQUIRE(::stat(path.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
        CHECK(other_process_try_lock(path) == 'n');
    }
    CHECK(other_process_try_lock(path) == 'y');
}

TEST_CASE("try_acquire reports a lock held through another open file", "[file_lock]") {
    TempDir t;
    const std::string path = t.path + "/k.lock";
    auto first = FileLock::try_acquire(path);
    REQUIRE(first.has_value());
    CHECK_FALSE(FileLock::try_acquire(path).has_value());
    first.reset();
    CHECK(FileLock::try_acquire(path).has_value());
}

TEST_CASE("moving a lock keeps it held", "[file_lock]") {
    TempDir t;
    const std::string path = t.path + "/k.lock";
    FileLock a = FileLock::acquire(path);
    FileLock b = std::move(a);
    CHECK_FALSE(FileLock::try_acquire(path).has_value());
}

TEST_CASE("a waiter whose lock file was unlinked locks the new file", "[file_lock]") {
    TempDir t;
    const std::string path = t.path + "/k.lock";
    std::optional<FileLock> held = FileLock::acquire(path);
    std::promise<void> acquired;
    std::promise<void> finish;
    std::thread waiter([&] {
        FileLock lock = FileLock::acquire(path);
        acquired.set_value();
        finish.get_future().wait();
    });
    // Whatever the waiter opened, after this it must end up holding the file the path names.
    REQUIRE(::unlink(path.c_str()) == 0);
    held.reset();
    acquired.get_future().wait();
    CHECK_FALSE(FileLock::try_acquire(path).has_value());
    finish.set_value();
    waiter.join();
    CHECK(FileLock::try_acquire(path).has_value());
}

TEST_CASE("lock errors name the path", "[file_lock]") {
    TempDir t;
    const std::string link = t.path + "/link.lock";
    REQUIRE(::symlink((t.path + "/target").c_str(), link.c_str()) == 0);
    try {
        FileLock::acquire(link);
        FAIL("symlinked lock file accepted");
    } catch (const aks::CacheError& e) {
        CHECK(std::string(e.what()).find(link) != std::string::npos);
    }
    CHECK_THROWS_AS(FileLock::acquire(t.path + "/missing-dir/k.lock"), aks::CacheError);
}
