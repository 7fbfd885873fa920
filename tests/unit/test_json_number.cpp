#include <cstdint>
#include <catch2/catch.hpp>
#include <string>

#include "core/json_number.h"

namespace {

picojson::value parse(const std::string& text) {
    auto v = aks::parse_json(text);
    REQUIRE(v);
    return *v;
}

}  // namespace

TEST_CASE("json_int accepts JSON numbers", "[json_number]") {
    CHECK(aks::json_int(parse("3599")) == 3599);
    CHECK(aks::json_int(parse("-42")) == -42);
    CHECK(aks::json_int(parse("0")) == 0);
    CHECK(aks::json_int(parse("1795305600")) == 1795305600);
    CHECK(aks::json_int(parse("1.9")) == 1);  // truncated
    CHECK(aks::json_int(parse("-1.9")) == -1);
    CHECK(aks::json_int(parse("1e3")) == 1000);
}

TEST_CASE("json_int accepts numeric strings", "[json_number]") {
    CHECK(aks::json_int(parse("\"3599\"")) == 3599);
    CHECK(aks::json_int(parse("\"  42 \"")) == 42);
    CHECK(aks::json_int(parse("\"-7\"")) == -7);
    CHECK(aks::json_int(parse("\"1740028277\"")) == 1740028277);
    CHECK(aks::json_int(parse("\"9223372036854775807\"")) == INT64_MAX);
    CHECK(aks::json_int(parse("\"-9223372036854775808\"")) == INT64_MIN);
}

TEST_CASE("json_int rejects everything else", "[json_number]") {
    CHECK_FALSE(aks::json_int(parse("\"12a\"")));
    CHECK_FALSE(aks::json_int(parse("\"\"")));
    CHECK_FALSE(aks::json_int(parse("\"   \"")));
    CHECK_FALSE(aks::json_int(parse("\"-\"")));
    CHECK_FALSE(aks::json_int(parse("\"+5\"")));
    CHECK_FALSE(aks::json_int(parse("\"1.5\"")));
    CHECK_FALSE(aks::json_int(parse("\"4 2\"")));
    CHECK_FALSE(aks::json_int(parse("\"9223372036854775808\"")));  // overflow
    CHECK_FALSE(aks::json_int(parse("\"-9223372036854775809\"")));
    CHECK_FALSE(aks::json_int(parse("1.5e300")));
    CHECK_FALSE(aks::json_int(parse("-1.5e300")));
    CHECK_FALSE(aks::json_int(parse("{\"a\":1}")));
    CHECK_FALSE(aks::json_int(parse("[1]")));
    CHECK_FALSE(aks::json_int(parse("true")));
    CHECK_FALSE(aks::json_int(parse("null")));
}

TEST_CASE("json_int_field and json_string_field look up object members", "[json_number]") {
    const auto obj = parse(R"({"expires_in":"3599","n":12,"s":"text","x":null})");
    CHECK(aks::json_int_field(obj, "expires_in") == 3599);
    CHECK(aks::json_int_field(obj, "n") == 12);
    CHECK_FALSE(aks::json_int_field(obj, "missing"));
    CHECK_FALSE(aks::json_int_field(obj, "s"));
    CHECK_FALSE(aks::json_int_field(parse("[1]"), "n"));
    CHECK(aks::json_string_field(obj, "s") == "text");
    CHECK(aks::json_string_field(obj, "n").empty());
    CHECK(aks::json_string_field(obj, "x").empty());
    CHECK(aks::json_string_field(obj, "missing").empty());
    CHECK(aks::json_string_field(parse("\"s\""), "s").empty());
}

TEST_CASE("parse_json takes exactly one value", "[json_number]") {
    CHECK(aks::parse_json(" {\"a\":1}\n"));
    CHECK_FALSE(aks::parse_json(""));
    CHECK_FALSE(aks::parse_json("{\"a\":1"));         // truncated
    CHECK_FALSE(aks::parse_json("{\"a\":1} trailing"));
    CHECK_FALSE(aks::parse_json("<html>"));
    CHECK_FALSE(aks::parse_json("1e999"));             // beyond double: picojson throws
    CHECK_FALSE(aks::parse_json(std::string(10000, '[')));  // nesting bomb
    CHECK(aks::parse_json(std::string(64, '[') + std::string(64, ']')));
    CHECK(aks::parse_json(R"({"s":"[[[[{{{{\"]]"})"));  // brackets inside strings do not count
}
