#pragma once
// What the fake's container runs for exec/attach, whatever the transport:
// `cat` echoes stdin to stdout until stdin closes; `echo ARGS` prints ARGS;
// anything else prints what it would have run.
#include <string>
#include <vector>

namespace aks::fake_apiserver {

bool runs_cat(const std::vector<std::string>& command);
// stdout of a command that is not `cat`.
std::string command_output(const std::vector<std::string>& command);

// The v4/v5 channel protocols' success status, sent on the error channel.
constexpr const char* kExecSuccessStatus = R"({"metadata":{},"status":"Success"})";

}  // namespace aks::fake_apiserver
