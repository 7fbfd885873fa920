#pragma once
#include <string>

namespace aks::fake_apiserver {

// Writes "PORT\n" to a temporary file beside `path` and renames it over
// `path`, so a reader never sees a partial number. Throws std::runtime_error.
void write_port_file(const std::string& path, unsigned short port);

}  // namespace aks::fake_apiserver
