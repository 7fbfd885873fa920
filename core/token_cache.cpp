// The token cache files (DESIGN.md "The token cache"). read() is the hot
// path of every kubectl call: one lstat of the directory, one open, one
// fstat, one read — no listing, no lock.
#include "core/token_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "core/cache_dir.h"
#include "core/errors.h"
#include "core/expiry.h"
#include "core/file_lock.h"
#include "core/json_number.h"
#include "core/json_quote.h"

namespace aks {
namespace {

constexpr std::int64_t kSchema = 1;
constexpr off_t kMaxEntrySize = 1 << 20;

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Appends `"name":"value"` with a leading comma unless first.
void field(std::string& out, const char* name, const std::string& value, bool first = false) {
    if (!first) out += ',';
    out += json_quote(name);
    out += ':';
    out += json_quote(value);
}

void field(std::string& out, const char* name, std::int64_t value) {
    out += ',';
    out += json_quote(name);
    out += ':';
    out += std::to_string(value);
}

// Contents of a cache file, or nullopt when it is missing, not a regular
// file we own with mode 0600 (or stricter), too large or unreadable.
std::optional<std::string> read_private_file(const std::string& path) {
    // O_NOFOLLOW: a planted symlink is not followed; O_NONBLOCK: a FIFO does not hang us.
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    if (!fd) return std::nullopt;
    struct stat st;
    if (::fstat(fd.get(), &st) != 0) return std::nullopt;
    if (!S_ISREG(st.st_mode) || st.st_uid != ::geteuid() || (st.st_mode & 077) != 0) return std::nullopt;
    if (st.st_size > kMaxEntrySize) return std::nullopt;
    std::string text;
    text.resize(static_cast<std::size_t>(st.st_size) + 1);  // +1 notices a file that grew
    std::size_t got = 0;
    while (got < text.size()) {
        const ssize_t n = ::read(fd.get(), &text[got], text.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return std::nullopt;
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    if (got > static_cast<std::size_t>(kMaxEntrySize)) return std::nullopt;
    text.resize(got);
    return text;
}

bool write_all(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// Unlinks a temporary file unless the rename succeeded.
class TempFile {
public:
    explicit TempFile(std::string path) : path_(std::move(path)) {}
    ~TempFile() {
        if (!path_.empty()) ::unlink(path_.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::string& path() const { return path_; }
    void keep() { path_.clear(); }

private:
    std::string path_;
};

struct DirCloser {
    void operator()(DIR* d) const { ::closedir(d); }
};

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// "<64 hex>.tmp.XXXXXX" (and ".<64 hex>.tmp.XXXXXX", the name older
// versions used): a cache write's temporary file.
bool is_temp_name(const std::string& name) {
    const std::size_t skip = !name.empty() && name[0] == '.' ? 1 : 0;
    if (name.size() != skip + 64 + 5 + 6) return false;
    for (std::size_t i = skip; i < skip + 64; ++i)
        if (!is_hex(name[i])) return false;
    return name.compare(skip + 64, 5, ".tmp.") == 0;
}

// True when `path` still names the open file `fd`.
bool same_file(int fd, const std::string& path) {
    struct stat held, named;
    return ::fstat(fd, &held) == 0 && ::lstat(path.c_str(), &named) == 0 && held.st_dev == named.st_dev &&
           held.st_ino == named.st_ino;
}

// Removes the temporary files of writers that died before their rename (a
// SIGKILL, a crash): each may hold an access and a refresh token. A live
// writer holds an flock on its file from creation to rename, so a file we
// can lock is an orphan. Best effort: a file we cannot remove stays for
// `status` to show and `logout --all` to remove.
void sweep_orphans(const std::string& dir, const std::string& keep) {
    std::unique_ptr<DIR, DirCloser> d(::opendir(dir.c_str()));
    if (!d) return;
    while (const dirent* ent = ::readdir(d.get())) {
        const std::string name = ent->d_name;
        if (!is_temp_name(name)) continue;
        const std::string path = dir + "/" + name;
        if (path == keep) continue;
        UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
        if (!fd || ::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) continue;
        if (same_file(fd.get(), path)) ::unlink(path.c_str());
    }
}

std::string strip_trailing_slashes(std::string p) {
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p;
}

}  // namespace

bool operator==(const CacheKeyFields& a, const CacheKeyFields& b) {
    return a.authority_host == b.authority_host && a.tenant_id == b.tenant_id && a.client_id == b.client_id &&
           a.server_id == b.server_id && a.login_mode == b.login_mode && a.principal_hint == b.principal_hint;
}

CacheKeyFields cache_key_fields(const LoginSettings& s) {
    return CacheKeyFields{ascii_lower(s.authority_host), ascii_lower(s.tenant_id), ascii_lower(s.client_id),
                          ascii_lower(s.server_id),      ascii_lower(s.login_mode), s.principal_hint()};
}

std::string serialize_cache_entry(const LoginSettings& s, const Token& t) {
    const CacheKeyFields k = cache_key_fields(s);
    std::string out = "{\"schema\":" + std::to_string(kSchema) + ",\"key\":{";
    field(out, "authority_host", k.authority_host, true);
    field(out, "tenant_id", k.tenant_id);
    field(out, "client_id", k.client_id);
    field(out, "server_id", k.server_id);
    field(out, "login_mode", k.login_mode);
    field(out, "principal_hint", k.principal_hint);
    out += '}';
    field(out, "access_token", t.access_token);
    field(out, "token_type", t.token_type);
    field(out, "expires_on", t.expires_on);
    field(out, "obtained_at", t.obtained_at);
    if (!t.refresh_token.empty()) field(out, "refresh_token", t.refresh_token);
    out += ",\"claims\":{";
    field(out, "upn", t.claims.upn, true);
    field(out, "oid", t.claims.oid);
    field(out, "tid", t.claims.tid);
    field(out, "aud", t.claims.aud);
    field(out, "iss", t.claims.iss);
    field(out, "exp", t.claims.exp);
    field(out, "groups_count", static_cast<std::int64_t>(t.claims.groups_count));
    out += ",\"groups_overage\":";
    out += t.claims.groups_overage ? "true" : "false";
    out += "}}\n";
    return out;
}

std::optional<CacheEntry> parse_cache_entry(const std::string& json) {
    const auto root = parse_json(json);
    if (!root || !root->is<picojson::object>()) return std::nullopt;
    if (json_int_field(*root, "schema") != kSchema) return std::nullopt;
    const auto& obj = root->get<picojson::object>();

    const auto key = obj.find("key");
    if (key == obj.end() || !key->second.is<picojson::object>()) return std::nullopt;
    CacheEntry e;
    const picojson::value& k = key->second;
    e.key = CacheKeyFields{json_string_field(k, "authority_host"), json_string_field(k, "tenant_id"),
                           json_string_field(k, "client_id"),      json_string_field(k, "server_id"),
                           json_string_field(k, "login_mode"),     json_string_field(k, "principal_hint")};

    e.token.access_token = json_string_field(*root, "access_token");
    const auto expires_on = json_int_field(*root, "expires_on");
    if (e.token.access_token.empty() || !expires_on || *expires_on < 0 || *expires_on > kLatestExpiry)
        return std::nullopt;
    e.token.expires_on = *expires_on;
    const auto type = obj.find("token_type");
    if (type != obj.end() && type->second.is<std::string>()) e.token.token_type = type->second.get<std::string>();
    // Times beyond kLatestExpiry would not come back the same from a rewrite.
    const auto plausible = [](std::optional<std::int64_t> t) { return t && *t >= 0 && *t <= kLatestExpiry ? *t : 0; };
    e.token.obtained_at = plausible(json_int_field(*root, "obtained_at"));
    e.token.refresh_token = json_string_field(*root, "refresh_token");

    const auto claims = obj.find("claims");
    if (claims != obj.end() && claims->second.is<picojson::object>()) {
        const picojson::value& c = claims->second;
        TokenClaims& tc = e.token.claims;
        tc.upn = json_string_field(c, "upn");
        tc.oid = json_string_field(c, "oid");
        tc.tid = json_string_field(c, "tid");
        tc.aud = json_string_field(c, "aud");
        tc.iss = json_string_field(c, "iss");
        tc.exp = plausible(json_int_field(c, "exp"));
        tc.groups_count = static_cast<int>(std::clamp<std::int64_t>(json_int_field(c, "groups_count").value_or(0), 0, 1 << 30));
        const auto& co = c.get<picojson::object>();
        const auto overage = co.find("groups_overage");
        tc.groups_overage = overage != co.end() && overage->second.is<bool>() && overage->second.get<bool>();
    }
    return e;
}

TokenCache::TokenCache(std::string dir) : dir_(strip_trailing_slashes(std::move(dir))) {}

std::string TokenCache::entry_path(const LoginSettings& s) const { return dir_ + "/" + s.key_hash() + ".json"; }

std::string TokenCache::lock_path(const LoginSettings& s) const { return dir_ + "/" + s.key_hash() + ".lock"; }

std::optional<Token> TokenCache::read(const LoginSettings& s) const {
    if (!check_private_dir(dir_)) return std::nullopt;
    const auto text = read_private_file(entry_path(s));
    if (!text) return std::nullopt;
    auto entry = parse_cache_entry(*text);
    // A file under our name that describes another identity (hash collision,
    // hand-edited, copied) is not ours to use.
    if (!entry || entry->key != cache_key_fields(s)) return std::nullopt;
    return std::move(entry->token);
}

void TokenCache::write(const LoginSettings& s, const Token& t) const {
    ensure_private_dir(dir_);
    const std::string final_path = entry_path(s);
    const auto fail = [&](const char* step) {
        throw CacheError("cannot save the token to " + final_path + " (" + step + "): " + std::strerror(errno) +
                         "; the cached entry is unchanged");
    };
    UniqueFd fd;
    std::string name;
    for (int tries = 0; !fd; ++tries) {
        name = dir_ + "/" + s.key_hash() + ".tmp.XXXXXX";
        // mkostemp: O_CREAT|O_EXCL, mode 0600, unpredictable name.
        fd = UniqueFd(::mkostemp(&name[0], O_CLOEXEC));
        if (!fd)
            throw CacheError("cannot save the token in " + dir_ + " (creating a temporary file): " +
                             std::strerror(errno) + "; the cached entry is unchanged");
        // Held until after the rename: a sweeper never takes a live writer's file.
        if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0 && same_file(fd.get(), name)) break;
        // A sweeper took it in the instant before our flock; make another.
        ::unlink(name.c_str());
        fd.reset();
        if (tries == 3) throw CacheError("cannot save the token in " + dir_ + ": temporary files keep vanishing");
    }
    TempFile temp(name);
    sweep_orphans(dir_, name);
    if (::fchmod(fd.get(), 0600) != 0) fail("setting mode 600");
    if (!write_all(fd.get(), serialize_cache_entry(s, t))) fail("writing");
    if (::fsync(fd.get()) != 0) fail("syncing");
    if (::rename(temp.path().c_str(), final_path.c_str()) != 0) fail("replacing the entry");
    temp.keep();
    // Closing releases the flock; the data is on disk already (fsync).
    fd.reset();
    // Make the rename itself durable. Some filesystems cannot sync a
    // directory (EINVAL); the entry is in place either way.
    UniqueFd dfd(::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dfd && ::fsync(dfd.get()) != 0 && errno == EIO) fail("syncing the directory");
}

void TokenCache::forget_refresh_token(const LoginSettings& s, const Token& old, std::int64_t now) const {
    if (!is_valid(old, now)) {
        remove(s);
        return;
    }
    Token kept = old;
    kept.refresh_token.clear();
    write(s, kept);
}

std::vector<std::string> TokenCache::temp_files() const {
    std::vector<std::string> out;
    if (!check_private_dir(dir_)) return out;
    std::unique_ptr<DIR, DirCloser> d(::opendir(dir_.c_str()));
    if (!d) throw CacheError("cannot list cache directory " + dir_ + ": " + std::strerror(errno));
    while (const dirent* ent = ::readdir(d.get())) {
        if (is_temp_name(ent->d_name)) out.push_back(dir_ + "/" + ent->d_name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

int TokenCache::remove_temp_files() const {
    int removed = 0;
    for (const std::string& path : temp_files()) {
        if (::unlink(path.c_str()) == 0) ++removed;
        else if (errno != ENOENT) throw CacheError("cannot remove " + path + ": " + std::strerror(errno));
    }
    return removed;
}

bool TokenCache::remove(const LoginSettings& s) const { return remove_path(entry_path(s)); }

bool TokenCache::remove_path(const std::string& json_path) const {
    if (!ends_with(json_path, ".json")) throw CacheError("not a cache entry: " + json_path);
    if (!check_private_dir(dir_)) return false;
    const std::string lock = json_path.substr(0, json_path.size() - 5) + ".lock";
    const auto unlink_ok = [](const std::string& p) -> bool {
        if (::unlink(p.c_str()) == 0) return true;
        if (errno == ENOENT) return false;
        throw CacheError("cannot remove " + p + ": " + std::strerror(errno));
    };
    struct stat st;
    const bool had_lock = ::lstat(lock.c_str(), &st) == 0;
    // Hold the lock while unlinking its file so that a process waiting on
    // it re-opens the path instead of proceeding on an orphaned inode.
    std::optional<FileLock> held = had_lock ? FileLock::try_acquire(lock) : std::nullopt;
    bool removed = unlink_ok(json_path);
    if (held) removed = unlink_ok(lock) || removed;
    return removed;
}

std::vector<CacheEntry> TokenCache::list() const {
    std::vector<CacheEntry> out;
    if (!check_private_dir(dir_)) return out;
    std::unique_ptr<DIR, DirCloser> d(::opendir(dir_.c_str()));
    if (!d) throw CacheError("cannot list cache directory " + dir_ + ": " + std::strerror(errno));
    while (const dirent* ent = ::readdir(d.get())) {
        const std::string name = ent->d_name;
        if (name.empty() || name[0] == '.' || !ends_with(name, ".json")) continue;
        const std::string path = dir_ + "/" + name;
        const auto text = read_private_file(path);
        if (!text) continue;
        auto entry = parse_cache_entry(*text);
        if (!entry) continue;
        entry->path = path;
        out.push_back(std::move(*entry));
    }
    std::sort(out.begin(), out.end(), [](const CacheEntry& a, const CacheEntry& b) { return a.path < b.path; });
    return out;
}

}  // namespace aks
