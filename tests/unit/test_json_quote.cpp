#include <catch2/catch.hpp>

#include <picojson.h>

#include "core/json_quote.h"

TEST_CASE("json_quote escapes what JSON requires", "[json_quote]") {
    CHECK(aks::json_quote("plain") == "\"plain\"");
    CHECK(aks::json_quote("a\"b\\c\n\t\x01") == "\"a\\\"b\\\\c\\n\\t\\u0001\"");
    picojson::value v;
    const std::string odd = std::string("x\x1f\"\\y\x7f") + "\xc3\xa9";
    REQUIRE(picojson::parse(v, aks::json_quote(odd)).empty());
    CHECK(v.get<std::string>() == odd);
}
