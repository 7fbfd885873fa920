#include <catch2/catch.hpp>

#include "local-proxy/fd_budget.h"

using aks::proxy::connection_limit;

TEST_CASE("connection_limit: the default fits the open-file limit", "[fd_budget]") {
    // Two descriptors a connection, after what is open and a spare 32.
    CHECK(connection_limit(0, 10000, 1024, 20).value == (1024 - 20 - 32) / 2);
    CHECK(connection_limit(0, 10000, 1048576, 20).value == 10000);
    CHECK(connection_limit(0, 10000, 40, 30).value == 1);  // never zero
    CHECK(connection_limit(0, 10000, 1024, 20).warning.empty());
}

TEST_CASE("connection_limit: an explicit value is kept, with a warning past the budget", "[fd_budget]") {
    const auto ok = connection_limit(100, 10000, 1024, 20);
    CHECK(ok.value == 100);
    CHECK(ok.warning.empty());
    const auto over = connection_limit(1000, 10000, 64, 20);
    CHECK(over.value == 1000);
    CHECK(over.warning.find("--max-connections 1000") != std::string::npos);
}
