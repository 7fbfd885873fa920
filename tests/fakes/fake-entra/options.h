// fake-entra's command line.
#pragma once

#include <cstdint>
#include <string>

namespace aks::fake_entra {

struct Options {
    std::string cert, key;
    std::string host = "127.0.0.1";
    int port = 0;
    std::string port_file;
    std::string tenant;
    std::int64_t lifetime = 3600;
    std::int64_t interval = 5;
    std::string signing_key_file;
    bool verbose = false;
    bool help = false;
};

// Throws std::invalid_argument with a one-line reason.
Options parse_options(int argc, char** argv);
std::string usage_line();
std::string usage_text();

}  // namespace aks::fake_entra
