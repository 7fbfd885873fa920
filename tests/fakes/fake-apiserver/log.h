#pragma once
// One whole line per call on stderr, so lines from several threads never mix.
#include <string>

namespace aks::fake_apiserver {

void log_line(const std::string& message);

}  // namespace aks::fake_apiserver
