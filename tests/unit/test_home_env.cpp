#include <catch2/catch.hpp>

#include <pwd.h>
#include <unistd.h>

#include <map>

#include "core/home_env.h"
#include "tests/unit/env_map.h"

using aks_test::env_of;

TEST_CASE("HOME from the environment wins", "[home_env]") {
    const auto env = aks::with_account_home(env_of({{"HOME", "/home/me"}, {"X", "y"}}));
    CHECK(env("HOME") == std::optional<std::string>("/home/me"));
    CHECK(env("X") == std::optional<std::string>("y"));
    CHECK_FALSE(env("UNSET").has_value());
}

TEST_CASE("without HOME the password database answers", "[home_env]") {
    const passwd* pw = ::getpwuid(::geteuid());
    if (pw == nullptr || pw->pw_dir == nullptr || pw->pw_dir[0] == '\0') return;  // no entry: nothing to compare
    CHECK(aks::with_account_home(env_of({}))("HOME") == std::optional<std::string>(pw->pw_dir));
    CHECK(aks::with_account_home(env_of({{"HOME", ""}}))("HOME") == std::optional<std::string>(pw->pw_dir));
}
