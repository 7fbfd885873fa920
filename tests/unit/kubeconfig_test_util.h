#pragma once
// Helpers shared by the kubeconfig tests: a private temporary directory,
// small file I/O and an environment made of a map.
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "core/login_args.h"
#include "tests/unit/env_map.h"

namespace kctest {

struct TempDir {
    std::string path;
    TempDir() {
        char tmpl[] = "/tmp/aks-kubeconfig-test.XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        path = tmpl;
    }
    ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

inline void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

using aks_test::env_of;

}  // namespace kctest
