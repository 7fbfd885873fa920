#pragma once
// How many client connections the open-file limit leaves room for. Each
// client connection may hold an upstream one too (a tunnel always does), so
// a connection counts two descriptors.
#include <string>

namespace aks::proxy {

// Raises the soft RLIMIT_NOFILE to the hard limit, as Go programs (kubectl
// proxy among them) do at start-up since Go 1.19. Returns the soft limit now
// in force.
long raise_open_file_limit();

// Descriptors the process holds now (/proc/self/fd); a guess when unknown.
long open_descriptors();

struct ConnectionLimit {
    int value = 0;
    std::string warning;  // one line, when an explicit --max-connections exceeds the budget
};

// `requested`: --max-connections, 0 when not given (then the default, within
// the budget). An explicit value is honoured even above the budget (EMFILE is
// then handled by refusing new connections), with a warning.
ConnectionLimit connection_limit(int requested, int default_value, long open_file_limit, long in_use);

}  // namespace aks::proxy
