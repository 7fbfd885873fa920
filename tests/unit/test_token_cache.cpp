#include <catch2/catch.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "core/cloud.h"
#include "core/errors.h"
#include "core/file_lock.h"
#include "core/token_cache.h"
#include "tests/unit/temp_dir.h"

using aks_test::TempDir;

using aks::LoginSettings;
using aks::Token;
using aks::TokenCache;

namespace {

LoginSettings settings(const std::string& hint = "Alice@Contoso.com") {
    LoginSettings s;
    s.login_mode = "devicecode";
    s.authority_host = "https://login.microsoftonline.com";
    s.tenant_id = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    s.client_id = aks::kAksClientId;
    s.server_id = aks::kAksServerId;
    s.login_hint = hint;
    return s;
}

Token token(const std::string& access = "eyJ.access.token") {
    Token t;
    t.access_token = access;
    t.token_type = "Bearer";
    t.expires_on = 1740028277;
    t.obtained_at = 1740024677;
    t.refresh_token = "refresh-\"quoted\"\n";
    t.claims.upn = "alice@contoso.com";
    t.claims.oid = "oid-1";
    t.claims.tid = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    t.claims.aud = aks::kAksServerId;
    t.claims.iss = "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/";
    t.claims.exp = 1740028277;
    t.claims.groups_count = 3;
    t.claims.groups_overage = true;
    return t;
}

void check_same(const Token& a, const Token& b) {
    CHECK(a.access_token == b.access_token);
    CHECK(a.token_type == b.token_type);
    CHECK(a.expires_on == b.expires_on);
    CHECK(a.obtained_at == b.obtained_at);
    CHECK(a.refresh_token == b.refresh_token);
    CHECK(a.claims.upn == b.claims.upn);
    CHECK(a.claims.oid == b.claims.oid);
    CHECK(a.claims.tid == b.claims.tid);
    CHECK(a.claims.aud == b.claims.aud);
    CHECK(a.claims.iss == b.claims.iss);
    CHECK(a.claims.exp == b.claims.exp);
    CHECK(a.claims.groups_count == b.claims.groups_count);
    CHECK(a.claims.groups_overage == b.claims.groups_overage);
}

std::set<std::string> names_in(const std::string& dir) {
    std::set<std::string> out;
    DIR* d = ::opendir(dir.c_str());
    REQUIRE(d != nullptr);
    while (const dirent* e = ::readdir(d)) {
        const std::string n = e->d_name;
        if (n != "." && n != "..") out.insert(n);
    }
    ::closedir(d);
    return out;
}

void write_file(const std::string& path, const std::string& content, mode_t mode = 0600) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()));
    ::close(fd);
    REQUIRE(::chmod(path.c_str(), mode) == 0);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string hash_of(const LoginSettings& s) { return s.key_hash(); }

}  // namespace

TEST_CASE("round trip with private modes", "[token_cache]") {
    TempDir t;
    const std::string dir = t.path + "/cache/aks-auth";
    TokenCache cache(dir);
    const LoginSettings s = settings();
    CHECK_FALSE(cache.read(s).has_value());
    cache.write(s, token());

    CHECK(cache.entry_path(s) == dir + "/" + hash_of(s) + ".json");
    CHECK(cache.lock_path(s) == dir + "/" + hash_of(s) + ".lock");
    struct stat st;
    REQUIRE(::stat(cache.entry_path(s).c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
    REQUIRE(::stat(dir.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0700);

    const auto got = cache.read(s);
    REQUIRE(got.has_value());
    check_same(*got, token());

    // Overwrite replaces.
    cache.write(s, token("eyJ.second"));
    CHECK(cache.read(s)->access_token == "eyJ.second");
    // Other identities miss.
    CHECK_FALSE(cache.read(settings("bob@contoso.com")).has_value());
}

TEST_CASE("serialised layout", "[token_cache]") {
    LoginSettings s = settings();
    s.client_secret = "CLIENT-SECRET-VALUE";
    s.tenant_id = "72F988BF-86F1-41AF-91AB-2D7CD011DB47";
    Token t = token();
    t.refresh_token.clear();
    const std::string json = aks::serialize_cache_entry(s, t);
    CHECK(json.rfind(
              "{\"schema\":1,\"key\":{\"authority_host\":\"https://login.microsoftonline.com\","
              "\"tenant_id\":\"72f988bf-86f1-41af-91ab-2d7cd011db47\","
              "\"client_id\":\"80faf920-1908-4b52-b5ef-a8e7bedfc67a\","
              "\"server_id\":\"6dae42f8-4368-4678-94ff-3960e28e3630\","
              "\"login_mode\":\"devicecode\",\"principal_hint\":\"alice@contoso.com\"},"
              "\"access_token\":\"eyJ.access.token\",\"token_type\":\"Bearer\","
              "\"expires_on\":1740028277,\"obtained_at\":1740024677,\"claims\":{",
              0) == 0);
    CHECK(json.find("\"refresh_token\"") == std::string::npos);
    CHECK(json.find("\"groups_count\":3,\"groups_overage\":true}}") != std::string::npos);
    CHECK(json.find("CLIENT-SECRET-VALUE") == std::string::npos);

    const auto parsed = aks::parse_cache_entry(json);
    REQUIRE(parsed.has_value());
    CHECK(parsed->key == aks::cache_key_fields(s));
    check_same(parsed->token, t);

    const auto with_rt = aks::parse_cache_entry(aks::serialize_cache_entry(s, token()));
    REQUIRE(with_rt.has_value());
    CHECK(with_rt->token.refresh_token == "refresh-\"quoted\"\n");
}

TEST_CASE("control characters survive serialisation", "[token_cache]") {
    Token t = token();
    t.claims.upn = std::string("a\x01" "b\\c\td\x7f");
    const auto parsed = aks::parse_cache_entry(aks::serialize_cache_entry(settings(), t));
    REQUIRE(parsed.has_value());
    CHECK(parsed->token.claims.upn == t.claims.upn);
}

TEST_CASE("parse_cache_entry rejects what is not an entry", "[token_cache]") {
    const std::string good = aks::serialize_cache_entry(settings(), token());
    CHECK(aks::parse_cache_entry(good).has_value());
    CHECK_FALSE(aks::parse_cache_entry("").has_value());
    CHECK_FALSE(aks::parse_cache_entry("[]").has_value());
    CHECK_FALSE(aks::parse_cache_entry(good.substr(0, good.size() / 2)).has_value());
    std::string v2 = good;
    v2.replace(v2.find("\"schema\":1"), 10, "\"schema\":2");
    CHECK_FALSE(aks::parse_cache_entry(v2).has_value());
    CHECK_FALSE(aks::parse_cache_entry(R"({"schema":1,"key":{},"expires_on":5})").has_value());
    CHECK_FALSE(aks::parse_cache_entry(R"({"schema":1,"key":{},"access_token":"x"})").has_value());
    CHECK_FALSE(aks::parse_cache_entry(R"({"schema":1,"access_token":"x","expires_on":5})").has_value());
    CHECK_FALSE(aks::parse_cache_entry(R"({"schema":1,"key":{},"access_token":7,"expires_on":5})").has_value());
    const auto minimal = aks::parse_cache_entry(R"({"schema":1,"key":{},"access_token":"x","expires_on":"5"})");
    REQUIRE(minimal.has_value());
    CHECK(minimal->token.expires_on == 5);
    CHECK(minimal->token.token_type == "Bearer");
}

TEST_CASE("unusable cache files are misses", "[token_cache]") {
    TempDir t;
    TokenCache cache(t.path);
    const LoginSettings s = settings();
    const std::string path = cache.entry_path(s);
    const std::string good = aks::serialize_cache_entry(s, token());

    SECTION("corrupt") { write_file(path, "not json at all {"); }
    SECTION("truncated") { write_file(path, good.substr(0, good.size() - 10)); }
    SECTION("empty") { write_file(path, ""); }
    SECTION("wrong schema") {
        std::string v = good;
        v.replace(v.find("\"schema\":1"), 10, "\"schema\":9");
        write_file(path, v);
    }
    SECTION("another identity's entry under this name") {
        write_file(path, aks::serialize_cache_entry(settings("mallory@contoso.com"), token()));
    }
    SECTION("readable by others") { write_file(path, good, 0644); }
    SECTION("too large") { write_file(path, good + std::string(1 << 20, ' ')); }
    SECTION("a directory") { REQUIRE(::mkdir(path.c_str(), 0700) == 0); }
    SECTION("a fifo") { REQUIRE(::mkfifo(path.c_str(), 0600) == 0); }
    SECTION("a symlink to a valid entry") {
        const std::string elsewhere = t.path + "/elsewhere";
        write_file(elsewhere, good);
        REQUIRE(::symlink(elsewhere.c_str(), path.c_str()) == 0);
    }
    CHECK_FALSE(cache.read(s).has_value());
}

TEST_CASE("a missing directory is a miss and is not created by read", "[token_cache]") {
    TempDir t;
    TokenCache cache(t.path + "/absent");
    CHECK_FALSE(cache.read(settings()).has_value());
    CHECK(cache.list().empty());
    CHECK_FALSE(cache.remove(settings()));
    struct stat st;
    CHECK(::lstat((t.path + "/absent").c_str(), &st) != 0);
}

TEST_CASE("an unsafe directory is an error, not a miss", "[token_cache]") {
    TempDir t;
    TokenCache cache(t.path);
    cache.write(settings(), token());
    REQUIRE(::chmod(t.path.c_str(), 0777) == 0);
    CHECK_THROWS_AS(cache.read(settings()), aks::CacheError);
    CHECK_THROWS_AS(cache.write(settings(), token()), aks::CacheError);
    CHECK_THROWS_AS(cache.list(), aks::CacheError);
    REQUIRE(::chmod(t.path.c_str(), 0700) == 0);
}

TEST_CASE("writes leave no temporary files", "[token_cache]") {
    TempDir t;
    TokenCache cache(t.path);
    for (int i = 0; i < 5; ++i) cache.write(settings(), token("eyJ." + std::to_string(i)));
    CHECK(names_in(t.path) == std::set<std::string>{hash_of(settings()) + ".json"});
}

TEST_CASE("a failed write throws and leaves no temporary file", "[token_cache]") {
    TempDir t;
    TokenCache cache(t.path);
    // A directory where the entry should go makes the rename fail.
    REQUIRE(::mkdir(cache.entry_path(settings()).c_str(), 0700) == 0);
    try {
        cache.write(settings(), token("eyJ.SECRET-TOKEN"));
        FAIL("write over a directory succeeded");
    } catch (const aks::CacheError& e) {
        const std::string msg = e.what();
        CHECK(msg.find(cache.entry_path(settings())) != std::string::npos);
        CHECK(msg.find("SECRET-TOKEN") == std::string::npos);
    }
    CHECK(names_in(t.path) == std::set<std::string>{hash_of(settings()) + ".json"});
}

TEST_CASE("remove deletes the entry and its lock", "[token_cache]") {
    TempDir t;
    TokenCache cache(t.path);
    const LoginSettings s = settings();
    cache.write(s, token());
    { aks::FileLock l = aks::FileLock::acquire(cache.lock_path(s)); }
    CHECK(names_in(t.path).size() == 2);
    CHECK(cache.remove(s));
    CHECK(names_in(t.path).empty());
    CHECK_FALSE(cache.read(s).has_value());
    CHECK_FALSE(cache.remove(s));
}

TEST_CASE("remove keeps a lock file that someone holds", "[token_cache]") {
    TempDir t;
    TokenCache cache(t.path);
    const LoginSettings s = settings();
    cache.write(s, token());
    aks::FileLock held = aks::FileLock::acquire(cache.lock_path(s));
    CHECK(cache.remove(s));
    CHECK(names_in(t.path) == std::set<std::string>{hash_of(s) + ".lock"});
    CHECK_THROWS_AS(cache.remove_path(t.path + "/x.lock"), aks::CacheError);
}

TEST_CASE("list returns every readable entry", "[token_cache]") {
    TempDir t;
    TokenCache cache(t.path + "/");
    CHECK(cache.dir() == t.path);
    const LoginSettings alice = settings("alice@contoso.com");
    const LoginSettings bob = settings("bob@contoso.com");
    cache.write(alice, token("eyJ.alice"));
    cache.write(bob, token("eyJ.bob"));
    write_file(t.path + "/junk.json", "{broken");
    write_file(t.path + "/notes.txt", "hello");
    { aks::FileLock l = aks::FileLock::acquire(cache.lock_path(alice)); }

    const auto entries = cache.list();
    REQUIRE(entries.size() == 2);
    std::set<std::string> hints, tokens;
    for (const auto& e : entries) {
        hints.insert(e.key.principal_hint);
        tokens.insert(e.token.access_token);
        CHECK(e.path.rfind(t.path + "/", 0) == 0);
        CHECK(e.key.tenant_id == "72f988bf-86f1-41af-91ab-2d7cd011db47");
    }
    CHECK(hints == std::set<std::string>{"alice@contoso.com", "bob@contoso.com"});
    CHECK(tokens == std::set<std::string>{"eyJ.alice", "eyJ.bob"});
    CHECK(entries[0].path < entries[1].path);

    CHECK(cache.remove_path(entries[0].path));
    CHECK(cache.list().size() == 1);
    CHECK(read_file(entries[1].path).find("\"schema\":1") != std::string::npos);
}

TEST_CASE("a write sweeps orphaned temporary files but never a live writer's", "[token_cache]") {
    TempDir t;
    TokenCache cache(t.path);
    const std::string hash = hash_of(settings());
    // Left by writers killed before their rename (this name and the one older versions used).
    const std::string orphan = t.path + "/" + hash + ".tmp.AbC123";
    const std::string old_style = t.path + "/." + hash + ".tmp.xYz789";
    write_file(orphan, "{\"access_token\":\"eyJ.orphan\"}");
    write_file(old_style, "{\"access_token\":\"eyJ.old\"}");
    // A live writer (another identity): it holds an flock on its file.
    const std::string live = t.path + "/" + hash_of(settings("bob@contoso.com")) + ".tmp.LiVe00";
    write_file(live, "{}");
    const int fd = ::open(live.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX) == 0);
    // Not ours: similar names that are no cache temporary files.
    write_file(t.path + "/notes.tmp.123456", "x");

    std::vector<std::string> all{old_style, orphan, live};
    std::sort(all.begin(), all.end());
    CHECK(cache.temp_files() == all);
    cache.write(settings(), token());
    CHECK(cache.temp_files() == std::vector<std::string>{live});
    CHECK(names_in(t.path) ==
          std::set<std::string>{hash + ".json", hash_of(settings("bob@contoso.com")) + ".tmp.LiVe00", "notes.tmp.123456"});
    ::close(fd);

    CHECK(cache.remove_temp_files() == 1);  // logout --all: every one, live or not
    CHECK(cache.temp_files().empty());
}

TEST_CASE("forget_refresh_token keeps a valid access token and drops an expired entry", "[token_cache]") {
    TempDir t;
    TokenCache cache(t.path);
    const Token old = token();  // expires 1740028277
    cache.write(settings(), old);
    cache.forget_refresh_token(settings(), old, old.expires_on - 60);
    const auto kept = cache.read(settings());
    REQUIRE(kept);
    CHECK(kept->access_token == old.access_token);
    CHECK(kept->refresh_token.empty());
    CHECK(read_file(cache.entry_path(settings())).find("refresh") == std::string::npos);

    cache.forget_refresh_token(settings(), *kept, old.expires_on + 1);
    CHECK_FALSE(cache.read(settings()));
    CHECK(names_in(t.path).empty());
}

TEST_CASE("times beyond the year 9999 are not taken from a cache file", "[token_cache]") {
    // 256204778801506527 is no double: a rewrite would not give it back (fuzz_cache_entry found it).
    const std::string base = R"({"schema":1,"key":{},"access_token":"eyJ.a.b","token_type":"Bearer",)";
    CHECK_FALSE(aks::parse_cache_entry(base + R"("expires_on":"256204778801506527"})"));
    CHECK_FALSE(aks::parse_cache_entry(base + R"("expires_on":-5})"));
    const auto e = aks::parse_cache_entry(base + R"("expires_on":1740028277,"obtained_at":"256204778801506527",)" +
                                          R"("claims":{"exp":-1}})");
    REQUIRE(e);
    CHECK(e->token.obtained_at == 0);
    CHECK(e->token.claims.exp == 0);
}
