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
#include "tests/unit/temp_dir.h"

namespace kctest {

using aks_test::TempDir;

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
