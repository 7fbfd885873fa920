#include <catch2/catch.hpp>

#include "core/expiry.h"

namespace {

aks::Token token(std::int64_t obtained_at, std::int64_t expires_on) {
    aks::Token t;
    t.obtained_at = obtained_at;
    t.expires_on = expires_on;
    return t;
}

}  // namespace

TEST_CASE("refresh margin: 300 s for an hour-long token", "[expiry]") {
    const auto t = token(1000, 1000 + 3600);
    CHECK(aks::refresh_margin(t) == 300);
    CHECK(aks::client_expiry(t) == 1000 + 3600 - 300);
}

TEST_CASE("refresh margin: half the lifetime for a short token", "[expiry]") {
    const auto t = token(1000, 1120);
    CHECK(aks::refresh_margin(t) == 60);
    CHECK(aks::client_expiry(t) == 1060);
    CHECK(aks::client_expiry(t) > t.obtained_at);  // never already in the past on arrival
    CHECK(aks::is_fresh(t, 1000));
    CHECK(aks::refresh_margin(token(1000, 1600)) == 300);  // exactly twice the margin
    CHECK(aks::refresh_margin(token(1000, 1599)) == 299);
    CHECK(aks::refresh_margin(token(1000, 1001)) == 0);
}

TEST_CASE("refresh margin: unknown lifetime uses the full margin", "[expiry]") {
    CHECK(aks::refresh_margin(token(0, 5000)) == 300);
    CHECK(aks::refresh_margin(token(5000, 5000)) == 300);
    CHECK(aks::refresh_margin(token(6000, 5000)) == 300);
}

TEST_CASE("fresh and valid boundaries", "[expiry]") {
    const auto t = token(1000, 1000 + 3600);  // margin 300, expires 4600
    CHECK(aks::is_fresh(t, 4299));
    CHECK_FALSE(aks::is_fresh(t, 4300));  // exactly the margin left: refresh
    CHECK(aks::is_valid(t, 4300));
    CHECK(aks::is_valid(t, 4599));
    CHECK_FALSE(aks::is_valid(t, 4600));
    CHECK_FALSE(aks::is_fresh(t, 4600));
    CHECK_FALSE(aks::is_valid(t, 9999));
}

TEST_CASE("rfc3339_utc formats known epochs", "[expiry]") {
    CHECK(aks::rfc3339_utc(0) == "1970-01-01T00:00:00Z");
    CHECK(aks::rfc3339_utc(1795305600) == "2026-11-22T00:00:00Z");
    CHECK(aks::rfc3339_utc(1795305600 + 10 * 3600 + 61) == "2026-11-22T10:01:01Z");
    CHECK(aks::rfc3339_utc(951782400) == "2000-02-29T00:00:00Z");
    CHECK(aks::rfc3339_utc(-1) == "1969-12-31T23:59:59Z");
}
