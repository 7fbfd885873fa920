#include "core/pkce.h"

#include <catch2/catch.hpp>

TEST_CASE("pkce: RFC 7636 appendix B example", "[pkce]") {
    CHECK(aks::pkce_s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") ==
          "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_CASE("pkce: 43-character verifier, matching challenge, never repeated", "[pkce]") {
    const auto a = aks::make_pkce();
    const auto b = aks::make_pkce();
    CHECK(a.verifier.size() == 43);
    CHECK(a.verifier.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
          std::string::npos);
    CHECK(a.challenge == aks::pkce_s256_challenge(a.verifier));
    CHECK(a.verifier != b.verifier);
    CHECK(aks::random_urlsafe(16).size() == 22);
}
