#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <map>

#include "core/cache_dir.h"
#include "core/errors.h"
#include "tests/unit/env_map.h"
#include "tests/unit/temp_dir.h"

using aks_test::TempDir;

using aks_test::env_of;

namespace {

// A fresh directory under /tmp, removed (recursively) at the end of the test.
mode_t mode_of(const std::string& p) {
    struct stat st;
    REQUIRE(::lstat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

std::string cache_error(const std::string& dir, bool create) {
    try {
        if (create) {
            aks::ensure_private_dir(dir);
        } else {
            aks::check_private_dir(dir);
        }
    } catch (const aks::CacheError& e) {
        return e.what();
    }
    return "<no error>";
}

// Restores the umask on scope exit.
struct UmaskGuard {
    mode_t old;
    explicit UmaskGuard(mode_t m) : old(::umask(m)) {}
    ~UmaskGuard() { ::umask(old); }
};

}  // namespace

TEST_CASE("cache dir resolution order", "[cache_dir]") {
    const auto env = env_of({{"KUBECACHEDIR", "/k/cache/"}, {"HOME", "/home/me"}});
    CHECK(aks::resolve_cache_dir("/flag/dir", env) == "/flag/dir");
    CHECK(aks::resolve_cache_dir("/flag/dir/", env) == "/flag/dir");
    CHECK(aks::resolve_cache_dir("", env) == "/k/cache/aks-auth");
    CHECK(aks::resolve_cache_dir("", env_of({{"KUBECACHEDIR", ""}, {"HOME", "/home/me"}})) ==
          "/home/me/.kube/cache/aks-auth");
    CHECK(aks::resolve_cache_dir("", env_of({{"HOME", "/home/me/"}})) == "/home/me/.kube/cache/aks-auth");
    CHECK(aks::resolve_cache_dir("", env_of({{"KUBECACHEDIR", "/"}})) == "/aks-auth");
}

TEST_CASE("without HOME or KUBECACHEDIR the cache directory is a CacheError", "[cache_dir]") {
    REQUIRE_THROWS_AS(aks::resolve_cache_dir("", env_of({})), aks::CacheError);
    REQUIRE_THROWS_WITH(aks::resolve_cache_dir("", env_of({{"HOME", ""}})), Catch::Contains("set HOME or use --cache-dir"));
}

TEST_CASE("ensure_private_dir creates missing components 0700 despite the umask", "[cache_dir]") {
    TempDir t;
    const std::string dir = t.path + "/a/b/aks-auth";
    {
        UmaskGuard u(0277);  // would leave 0500 without the explicit chmod
        aks::ensure_private_dir(dir + "/");
    }
    CHECK(mode_of(t.path + "/a") == 0700);
    CHECK(mode_of(t.path + "/a/b") == 0700);
    CHECK(mode_of(dir) == 0700);
    CHECK(aks::check_private_dir(dir));
    // Idempotent.
    aks::ensure_private_dir(dir);
    CHECK(mode_of(dir) == 0700);
}

TEST_CASE("an existing dir keeps its mode when it is safe", "[cache_dir]") {
    TempDir t;
    REQUIRE(::chmod(t.path.c_str(), 0755) == 0);
    aks::ensure_private_dir(t.path);  // readable by others is allowed; only write bits matter
    CHECK(mode_of(t.path) == 0755);
    CHECK(aks::check_private_dir(t.path));
}

TEST_CASE("group or world writable dirs are refused", "[cache_dir]") {
    TempDir t;
    for (mode_t m : {0770, 0702, 0777, 0720}) {
        REQUIRE(::chmod(t.path.c_str(), m) == 0);
        const std::string want = "cache directory " + t.path + " is writable by group or others; run: chmod 700 " + t.path;
        CHECK(cache_error(t.path, true) == want);
        CHECK(cache_error(t.path, false) == want);
    }
    REQUIRE(::chmod(t.path.c_str(), 0700) == 0);
}

TEST_CASE("a symlink or a file is refused", "[cache_dir]") {
    TempDir t;
    const std::string real = t.path + "/real";
    const std::string link = t.path + "/link";
    REQUIRE(::mkdir(real.c_str(), 0700) == 0);
    REQUIRE(::symlink(real.c_str(), link.c_str()) == 0);
    CHECK(cache_error(link, true).find("is a symbolic link") != std::string::npos);
    CHECK(cache_error(link, false).find("is a symbolic link") != std::string::npos);
    CHECK(cache_error(link + "/", false).find("is a symbolic link") != std::string::npos);

    const std::string file = t.path + "/file";
    FILE* f = std::fopen(file.c_str(), "w");
    REQUIRE(f != nullptr);
    std::fclose(f);
    CHECK(cache_error(file, true).find("is not a directory") != std::string::npos);
    CHECK(cache_error(file + "/sub", true).find("cannot create cache directory") != std::string::npos);
}

TEST_CASE("a directory owned by someone else is refused", "[cache_dir]") {
    if (::geteuid() != 0) {
        WARN("not root: cannot create a foreign-owned directory");
        return;
    }
    TempDir t;
    const std::string dir = t.path + "/foreign";
    REQUIRE(::mkdir(dir.c_str(), 0700) == 0);
    REQUIRE(::chown(dir.c_str(), 65534, 65534) == 0);
    const std::string want = "cache directory " + dir + " is owned by uid 65534, not you (uid 0); use --cache-dir";
    CHECK(cache_error(dir, true) == want);
    CHECK(cache_error(dir, false) == want);
}

TEST_CASE("check_private_dir does not create anything", "[cache_dir]") {
    TempDir t;
    const std::string dir = t.path + "/absent";
    CHECK_FALSE(aks::check_private_dir(dir));
    struct stat st;
    CHECK(::lstat(dir.c_str(), &st) != 0);
}
