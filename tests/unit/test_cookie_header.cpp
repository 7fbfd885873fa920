#include <catch2/catch.hpp>

#include "local-proxy/cookie_header.h"

using aks::proxy::cookie_pairs;

TEST_CASE("cookie pairs are split on ';', trimmed, empties skipped", "[cookie_header]") {
    const auto pairs = cookie_pairs(" a=1 ;; b = two words ;flag; c=x=y ");
    REQUIRE(pairs.size() == 4);
    CHECK(pairs[0].text == "a=1");
    CHECK(pairs[0].name == "a");
    CHECK(pairs[0].value == "1");
    CHECK(pairs[1].name == "b");
    CHECK(pairs[1].value == "two words");
    CHECK(pairs[2].text == "flag");
    CHECK(pairs[2].name == "flag");
    CHECK(pairs[2].value.empty());
    CHECK(pairs[3].name == "c");
    CHECK(pairs[3].value == "x=y");
    CHECK(cookie_pairs("").empty());
    CHECK(cookie_pairs(" ; ;").empty());
}
