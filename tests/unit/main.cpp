#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <csignal>

// Some tests reset connections on purpose: like the programs, the test
// binary ignores SIGPIPE and sees EPIPE instead.
static const auto sigpipe_ignored = std::signal(SIGPIPE, SIG_IGN);
