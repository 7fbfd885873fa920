#include "core/token_source.h"

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <thread>
#include <vector>

#include "core/cache_dir.h"
#include "core/errors.h"
#include "core/file_lock.h"
#include "core/sha256.h"
#include "tests/unit/fake_idp.h"
#include "tests/unit/temp_dir.h"

using aks_test::TempDir;

using aks_test::FakeIdp;
using aks_test::FakeTime;
using aks_test::oauth_error_json;
using aks_test::token_json;

namespace {

constexpr std::int64_t kNow = 1700000000;

struct Fixture {
    FakeIdp idp;
    FakeTime time;
    TempDir dir;
    aks::TokenCache cache{dir.path + "/cache"};
    aks::LoginSettings s;
    std::ostringstream prompt, verbose;

    Fixture() {
        s.authority_host = idp.authority();
        s.tenant_id = "t1";
        s.client_id = "client-1";
        s.server_id = "6dae42f8-4368-4678-94ff-3960e28e3630";
        s.login_mode = "devicecode";
        s.cache_dir = cache.dir();
    }
    aks::TokenSourceDeps deps() const {
        aks::TokenSourceDeps d;
        d.clock = time.clock();
        d.sleep = time.sleeper();
        d.steady = time.steady();
        d.http = aks_test::fast_http_options(time);
        return d;
    }
    aks::Token acquire(bool interactive, bool force = false) {
        aks::TokenRequest req;
        req.interactive_allowed = interactive;
        req.force_login = force;
        req.prompt = &prompt;
        req.verbose = &verbose;
        return aks::acquire_token(s, cache, req, deps());
    }
    // A cached token that expires `remaining` seconds from now, out of an hour.
    aks::Token cached(const std::string& oid, std::int64_t remaining, const std::string& refresh) {
        aks::Token t;
        t.access_token = aks_test::fake_jwt(oid, kNow + remaining);
        t.expires_on = kNow + remaining;
        t.obtained_at = kNow + remaining - 3600;
        t.refresh_token = refresh;
        cache.write(s, t);
        return t;
    }
    int requests() const { return idp.devicecode_requests() + idp.token_requests(); }
};

}  // namespace

TEST_CASE("token_fingerprint is a short sha256 prefix", "[token_source]") {
    CHECK(aks::token_fingerprint("abc") == "sha256:" + aks::sha256_hex("abc").substr(0, 12));
    CHECK(aks::token_fingerprint("abc").size() == 19);
}

TEST_CASE("a fresh cached token is returned without any request", "[token_source]") {
    Fixture f;
    const auto t = f.cached("oid-1", 3000, "rt-1");
    CHECK(f.acquire(false).access_token == t.access_token);
    CHECK(f.requests() == 0);
    const std::string v = f.verbose.str();
    CHECK(v.rfind("cache hit: token " + aks::token_fingerprint(t.access_token) + " expires 2023-11-", 0) == 0);
    CHECK(v.find(t.access_token) == std::string::npos);
}

TEST_CASE("a stale token is refreshed once and the rotated refresh token stored", "[token_source]") {
    Fixture f;
    f.cached("oid-1", 100, "rt-1");
    const std::string fresh_access = aks_test::fake_jwt("oid-1", kNow + 3600);
    f.idp.script_token({{200, token_json(fresh_access, "rt-2", 3600)}});

    const auto t = f.acquire(false);
    CHECK(t.access_token == fresh_access);
    CHECK(f.idp.token_requests() == 1);
    CHECK(f.idp.devicecode_requests() == 0);
    CHECK(FakeIdp::param(f.idp.token_forms().at(0), "refresh_token") == "rt-1");

    const auto stored = f.cache.read(f.s);
    REQUIRE(stored);
    CHECK(stored->access_token == fresh_access);
    CHECK(stored->refresh_token == "rt-2");

    // Now a hit: no further request.
    CHECK(f.acquire(false).access_token == fresh_access);
    CHECK(f.idp.token_requests() == 1);
}

TEST_CASE("a failed refresh falls back to the still valid token", "[token_source]") {
    Fixture f;
    const auto old = f.cached("oid-1", 100, "rt-1");
    bool dead_grant = false;
    SECTION("invalid_grant") {
        f.idp.script_token({{400, oauth_error_json("invalid_grant", "AADSTS70043: The refresh token has expired.")}});
        dead_grant = true;
    }
    SECTION("identity provider down") { f.idp.set_token_default(503, "<html>down</html>"); }
    CHECK(f.acquire(false).access_token == old.access_token);
    CHECK(f.idp.devicecode_requests() == 0);
    const std::string p = f.prompt.str();
    CHECK(p.rfind("warning: ", 0) == 0);
    CHECK(p.find("; using the cached token until ") != std::string::npos);
    CHECK(std::count(p.begin(), p.end(), '\n') == 1);
    CHECK(p.find("rt-1") == std::string::npos);
    // A rejected refresh token is never sent again; the working access token stays.
    const auto stored = f.cache.read(f.s);
    REQUIRE(stored);
    CHECK(stored->access_token == old.access_token);
    CHECK(stored->refresh_token == (dead_grant ? "" : "rt-1"));
}

TEST_CASE("a dead refresh token with an expired access token: the reason, no second request", "[token_source]") {
    Fixture f;
    f.cached("oid-1", -10, "rt-1");
    f.idp.script_token({{400, oauth_error_json("invalid_grant", "AADSTS700082: The refresh token has expired due to "
                                                                "inactivity.")}});
    CHECK_THROWS_WITH(f.acquire(false), Catch::StartsWith("refreshing the token failed: AADSTS700082 (invalid_grant)") &&
                                            Catch::Contains("sign in again"));
    CHECK_FALSE(f.cache.read(f.s));  // nothing worth keeping
    CHECK_THROWS_WITH(f.acquire(false), "sign-in required");
    CHECK(f.idp.token_requests() == 1);
}

TEST_CASE("transient answers to a refresh never lead to a sign-in", "[token_source]") {
    Fixture f;
    f.cached("oid-1", -10, "rt-1");
    SECTION("503") { f.idp.set_token_default(503, "{}"); }
    SECTION("HTML 403 from a proxy") { f.idp.set_token_default(403, "<html>blocked by proxy</html>"); }
    SECTION("garbage 200") { f.idp.set_token_default(200, "\x01\x02garbage"); }
    SECTION("429") { f.idp.set_token_default(429, R"({"error":"temporarily_unavailable"})"); }
    CHECK_THROWS_WITH(f.acquire(true), Catch::StartsWith("identity provider unavailable: HTTP ") &&
                                           Catch::EndsWith(" after 3 tries"));
    CHECK(f.idp.token_requests() == 3);
    CHECK(f.idp.devicecode_requests() == 0);
    REQUIRE(f.cache.read(f.s));
    CHECK(f.cache.read(f.s)->refresh_token == "rt-1");
}

TEST_CASE("interactive: a dead grant leads to the configured sign-in, saying why", "[token_source]") {
    Fixture f;
    f.cached("oid-1", -10, "rt-1");
    const std::string access = aks_test::fake_jwt("oid-2", kNow + 3600);
    f.idp.script_token({{400, oauth_error_json("interaction_required", "AADSTS50076: MFA required.")}});
    f.idp.set_token_default(200, token_json(access, "rt-2", 3600));
    CHECK(f.acquire(true).access_token == access);
    CHECK(f.idp.devicecode_requests() == 1);
    const std::string p = f.prompt.str();
    CHECK(p.find("AADSTS50076") < p.find("ABCD-EFGH"));  // the reason, then the prompt
    CHECK(p.find("; signing in again") != std::string::npos);
}

TEST_CASE("another process holds the lock", "[token_source]") {
    Fixture f;
    aks::ensure_private_dir(f.cache.dir());
    auto holder = aks::FileLock::try_acquire(f.cache.lock_path(f.s), "pid 4242 (aks-token login)");
    REQUIRE(holder);
    SECTION("a still-valid token is returned at once") {
        const auto old = f.cached("oid-1", 100, "rt-1");
        CHECK(f.acquire(false).access_token == old.access_token);
        CHECK(f.requests() == 0);
        CHECK(f.time.recorded().empty());
        CHECK(f.prompt.str().empty());
    }
    SECTION("an expired token waits for --timeout, saying for whom after two seconds") {
        f.cached("oid-1", -10, "rt-1");
        f.s.timeout_seconds = 5;
        CHECK_THROWS_WITH(f.acquire(false), Catch::StartsWith("gave up after 5s waiting for pid 4242 (aks-token login), "
                                                              "which holds the lock of this identity ("));
        CHECK(f.requests() == 0);
        CHECK(f.prompt.str() == "waiting for pid 4242 (aks-token login) to finish signing in or refreshing this "
                                "identity (up to 5s)\n");
        std::int64_t waited = 0;
        for (std::int64_t ms : f.time.recorded()) waited += ms;
        CHECK(waited == 5000);
    }
    SECTION("the holder finishing (having refreshed) ends the wait") {
        f.cached("oid-1", -10, "rt-1");
        const std::string fresh = aks_test::fake_jwt("oid-1", kNow + 3600);
        aks::Token t;
        t.access_token = fresh;
        t.expires_on = kNow + 3600;
        t.obtained_at = kNow;
        std::thread release([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            f.cache.write(f.s, t);
            holder.reset();
        });
        aks::TokenRequest req;
        req.prompt = &f.prompt;
        aks::TokenSourceDeps d = f.deps();
        d.sleep = [](std::int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
        d.steady = aks::steady_clock_ms();
        CHECK(aks::acquire_token(f.s, f.cache, req, d).access_token == fresh);
        release.join();
        CHECK(f.requests() == 0);
    }
}

TEST_CASE("an expired token with a revoked refresh token needs a person", "[token_source]") {
    Fixture f;
    f.cached("oid-1", -10, "rt-1");
    f.idp.script_token({{400, oauth_error_json("invalid_grant", "AADSTS50173: The grant has been revoked.")}});
    SECTION("not interactive") {
        CHECK_THROWS_AS(f.acquire(false), aks::InteractionRequired);
        CHECK(f.idp.devicecode_requests() == 0);
    }
    SECTION("interactive: device code login replaces the entry") {
        const std::string access = aks_test::fake_jwt("oid-2", kNow + 3600);
        f.idp.set_token_default(200, token_json(access, "rt-new", 3600));
        CHECK(f.acquire(true).access_token == access);
        CHECK(f.idp.devicecode_requests() == 1);
        CHECK(f.cache.read(f.s)->refresh_token == "rt-new");
    }
}

TEST_CASE("an expired token and an unreachable identity provider is a TransportError", "[token_source]") {
    Fixture f;
    f.cached("oid-1", -10, "rt-1");
    f.idp.set_token_default(503, "<html>down</html>");
    CHECK_THROWS_AS(f.acquire(true), aks::TransportError);
    CHECK(f.idp.devicecode_requests() == 0);
}

TEST_CASE("an empty cache without a person is InteractionRequired with no request", "[token_source]") {
    Fixture f;
    CHECK_THROWS_WITH(f.acquire(false), "sign-in required");
    CHECK(f.requests() == 0);
}

TEST_CASE("a valid token without a refresh token is used when nobody can sign in", "[token_source]") {
    Fixture f;
    const auto old = f.cached("oid-1", 100, "");
    CHECK(f.acquire(false).access_token == old.access_token);
    CHECK(f.requests() == 0);
}

TEST_CASE("force_login signs in even with a fresh token", "[token_source]") {
    Fixture f;
    f.cached("oid-1", 3000, "rt-1");
    const std::string access = aks_test::fake_jwt("oid-2", kNow + 3600);
    f.idp.set_token_default(200, token_json(access, "rt-2", 3600));
    CHECK(f.acquire(true, true).access_token == access);
    CHECK(f.idp.devicecode_requests() == 1);
    CHECK(f.prompt.str().find("ABCD-EFGH") != std::string::npos);
    CHECK_THROWS_AS(f.acquire(false, true), aks::InteractionRequired);
}

TEST_CASE("bad input of a mode is a UsageError before the cache is touched", "[token_source]") {
    Fixture f;
    f.s.login_mode = "ropc";
    f.s.username = "robot@example.com";
    CHECK_THROWS_WITH(f.acquire(false), Catch::Contains("--password is required for --login ropc"));
    CHECK(f.requests() == 0);
    CHECK(!std::filesystem::exists(f.cache.dir()));
}

TEST_CASE("modes that need no person run in a session that is not interactive", "[token_source]") {
    Fixture f;
    f.s.login_mode = "ropc";
    f.s.username = "robot@example.com";
    f.s.password = "pw";
    const std::string access = aks_test::fake_jwt("oid-1", kNow + 3600);
    f.idp.set_token_default(200, token_json(access, "rt-1", 3600));
    CHECK(f.acquire(false).access_token == access);
    CHECK(FakeIdp::param(f.idp.token_forms().at(0), "grant_type") == "password");
    CHECK(f.prompt.str().empty());
}

TEST_CASE("a mode that needs no person falls back to a still valid token when it fails", "[token_source]") {
    Fixture f;
    f.s.login_mode = "spn";
    f.s.client_secret = "s";
    const auto old = f.cached("oid-1", 200, "");  // inside the refresh margin, still valid
    f.idp.set_token_default(503, oauth_error_json("temporarily_unavailable"));
    CHECK(f.acquire(false).access_token == old.access_token);
    CHECK(f.prompt.str().find("warning") != std::string::npos);
}

TEST_CASE("parallel callers on an empty cache cause one sign-in", "[token_source]") {
    Fixture f;
    const std::string access = aks_test::fake_jwt("oid-1", kNow + 3600);
    f.idp.set_token_default(200, token_json(access, "rt-1", 3600));  // approved on the first poll

    constexpr int kThreads = 8;
    std::vector<std::string> results(kThreads);
    std::vector<std::string> errors(kThreads);
    {
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i) {
            threads.emplace_back([&, i] {
                try {
                    std::ostringstream prompt;
                    aks::TokenRequest req;
                    req.interactive_allowed = true;
                    req.prompt = &prompt;
                    // Waiting for the lock is real time here (the holder talks
                    // to a real server); the fake sleeper only makes it spin.
                    aks::TokenSourceDeps d = f.deps();
                    d.steady = aks::steady_clock_ms();
                    results[i] = aks::acquire_token(f.s, f.cache, req, d).access_token;
                } catch (const std::exception& e) {
                    errors[i] = e.what();
                }
            });
        }
        for (auto& t : threads) t.join();
    }
    for (int i = 0; i < kThreads; ++i) {
        INFO("thread " << i);
        CHECK(errors[i].empty());
        CHECK(results[i] == access);
    }
    CHECK(f.idp.devicecode_requests() == 1);
    CHECK(f.idp.token_requests() == 1);
}
