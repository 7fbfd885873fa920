#include "tests/fakes/fake-apiserver/exec_command.h"

namespace aks::fake_apiserver {

bool runs_cat(const std::vector<std::string>& command) { return !command.empty() && command[0] == "cat"; }

std::string command_output(const std::vector<std::string>& command) {
  std::string text;
  if (!command.empty() && command[0] == "echo") {
    for (size_t i = 1; i < command.size(); ++i) text += (i > 1 ? " " : "") + command[i];
  } else {
    text = "fake-apiserver ran:";
    for (const auto& c : command) text += " " + c;
  }
  return text + "\n";
}

}  // namespace aks::fake_apiserver
