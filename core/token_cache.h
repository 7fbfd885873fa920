#pragma once
// One JSON file per identity key in a private directory (DESIGN.md).
// Readers never lock; writers replace files atomically.
#include <optional>
#include <string>
#include <vector>

#include "core/login_settings.h"
#include "core/token.h"

namespace aks {

struct CacheKeyFields {
    std::string authority_host, tenant_id, client_id, server_id, login_mode, principal_hint;
};
bool operator==(const CacheKeyFields& a, const CacheKeyFields& b);
inline bool operator!=(const CacheKeyFields& a, const CacheKeyFields& b) { return !(a == b); }
// The lowercased fields of the settings' cache key, as stored in the entry.
CacheKeyFields cache_key_fields(const LoginSettings& s);

struct CacheEntry {
    std::string path;     // the .json file
    CacheKeyFields key;
    Token token;
};

class TokenCache {
public:
    // Does not touch the filesystem; directory checks happen on first use.
    explicit TokenCache(std::string dir);

    const std::string& dir() const { return dir_; }
    std::string entry_path(const LoginSettings& s) const;  // <dir>/<hash>.json
    std::string lock_path(const LoginSettings& s) const;   // <dir>/<hash>.lock

    // nullopt on miss, corrupt file, wrong schema or unreadable file.
    // Throws CacheError only when the directory is unsafe (foreign-owned,
    // group/world-writable).
    std::optional<Token> read(const LoginSettings& s) const;
    // Creates the directory if needed; writes <hash>.tmp.XXXXXX (0600, held
    // under an flock from creation to rename), fsync, rename over the entry.
    // First sweeps temporary files of writers that died before their rename
    // (those nobody holds locked). CacheError "cannot save the token ..." with
    // the entry unchanged.
    void write(const LoginSettings& s, const Token& t) const;
    // After the identity provider rejected the refresh token: the entry keeps
    // a still-valid access token without it, an expired one goes entirely.
    void forget_refresh_token(const LoginSettings& s, const Token& old, std::int64_t now) const;
    // Removes the entry and its lock file; true when something was removed.
    // The lock file is removed only while we hold it (so a waiting process
    // never ends up locking an orphaned inode); when a login is in progress
    // only the entry goes.
    bool remove(const LoginSettings& s) const;
    // Every readable entry, for status/logout --all, sorted by path.
    std::vector<CacheEntry> list() const;
    // remove() for an entry path taken from list(); must end in ".json".
    bool remove_path(const std::string& json_path) const;
    // Temporary files of writes in progress or interrupted (they may hold
    // tokens), sorted; remove_temp_files deletes them all (logout --all).
    std::vector<std::string> temp_files() const;
    int remove_temp_files() const;

private:
    std::string dir_;
};

// Serialisation, exposed for tests.
std::string serialize_cache_entry(const LoginSettings& s, const Token& t);
std::optional<CacheEntry> parse_cache_entry(const std::string& json);

}  // namespace aks
