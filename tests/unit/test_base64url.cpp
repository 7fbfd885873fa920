#include <catch2/catch.hpp>
#include <string>

#include "core/base64url.h"

TEST_CASE("base64url encodes RFC 4648 vectors without padding", "[base64url]") {
    CHECK(aks::base64url_encode("") == "");
    CHECK(aks::base64url_encode("f") == "Zg");
    CHECK(aks::base64url_encode("fo") == "Zm8");
    CHECK(aks::base64url_encode("foo") == "Zm9v");
    CHECK(aks::base64url_encode("foob") == "Zm9vYg");
    CHECK(aks::base64url_encode("fooba") == "Zm9vYmE");
    CHECK(aks::base64url_encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("base64url uses - and _ for the last two symbols", "[base64url]") {
    CHECK(aks::base64url_encode(std::string("\xfb\xff\xbf", 3)) == "-_-_");
    CHECK(aks::base64url_decode("-_-_") == std::string("\xfb\xff\xbf", 3));
}

TEST_CASE("base64url decodes padded and unpadded input", "[base64url]") {
    CHECK(aks::base64url_decode("") == std::string());
    CHECK(aks::base64url_decode("Zg") == std::string("f"));
    CHECK(aks::base64url_decode("Zg==") == std::string("f"));
    CHECK(aks::base64url_decode("Zm8") == std::string("fo"));
    CHECK(aks::base64url_decode("Zm8=") == std::string("fo"));
    CHECK(aks::base64url_decode("Zm9vYmFy") == std::string("foobar"));
}

TEST_CASE("base64url round-trips every byte value", "[base64url]") {
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    for (std::size_t len = 0; len <= all.size(); len += 7) {
        const std::string part = all.substr(0, len);
        CHECK(aks::base64url_decode(aks::base64url_encode(part)) == part);
    }
}

TEST_CASE("base64url rejects invalid input", "[base64url]") {
    CHECK_FALSE(aks::base64url_decode("+/+/"));  // standard alphabet
    CHECK_FALSE(aks::base64url_decode("Zm9v YmFy"));
    CHECK_FALSE(aks::base64url_decode("Zm9v\n"));
    CHECK_FALSE(aks::base64url_decode("Z"));       // impossible length
    CHECK_FALSE(aks::base64url_decode("Zg="));     // padding that does not complete a group
    CHECK_FALSE(aks::base64url_decode("Zg==="));   // too much padding
    CHECK_FALSE(aks::base64url_decode("Z=g="));    // padding in the middle
    CHECK_FALSE(aks::base64url_decode("Zm9v*"));
    CHECK_FALSE(aks::base64url_decode(std::string("Zm\0v", 4)));
}
