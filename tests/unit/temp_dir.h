#pragma once
// A fresh 0700 directory under /tmp for one test, removed with everything in
// it when the test ends (also when it fails).
#include <catch2/catch.hpp>

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace aks_test {

struct TempDir {
    std::string path;
    TempDir() {
        char tmpl[] = "/tmp/aks-test.XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        path = tmpl;
        REQUIRE(::chmod(path.c_str(), 0700) == 0);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

}  // namespace aks_test
