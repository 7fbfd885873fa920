#include "tests/fakes/fake-apiserver/log.h"

#include <cstdio>
#include <mutex>

namespace aks::fake_apiserver {

void log_line(const std::string& message) {
  static std::mutex mu;
  std::string line = "fake-apiserver: " + message + "\n";
  std::lock_guard<std::mutex> lock(mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace aks::fake_apiserver
