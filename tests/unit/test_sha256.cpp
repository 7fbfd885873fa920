#include <openssl/evp.h>

#include <catch2/catch.hpp>
#include <memory>
#include <random>
#include <string>

#include "core/sha256.h"

namespace {

std::string openssl_sha256_hex(const std::string& data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    REQUIRE(EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) == 1);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
        out.push_back(kHex[md[i] >> 4]);
        out.push_back(kHex[md[i] & 0x0f]);
    }
    return out;
}

}  // namespace

TEST_CASE("sha256 matches the NIST example vectors", "[sha256]") {
    CHECK(aks::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(aks::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(aks::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(aks::sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                          "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu") ==
          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    CHECK(aks::sha256_hex(std::string(1000000, 'a')) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 raw digest agrees with the hex form", "[sha256]") {
    const auto d = aks::sha256("abc");
    CHECK(d[0] == 0xba);
    CHECK(d[31] == 0xad);
    CHECK(aks::sha256_hex("abc").size() == 64);
}

TEST_CASE("sha256 agrees with OpenSSL for every length 0..300", "[sha256]") {
    std::mt19937 rng(20261122);  // fixed seed: deterministic bytes
    std::uniform_int_distribution<int> byte(0, 255);
    for (std::size_t len = 0; len <= 300; ++len) {
        std::string data;
        for (std::size_t i = 0; i < len; ++i) data.push_back(static_cast<char>(byte(rng)));
        INFO("length " << len);
        CHECK(aks::sha256_hex(data) == openssl_sha256_hex(data));
    }
}
