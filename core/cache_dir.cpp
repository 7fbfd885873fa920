// Where the token cache lives and the checks that keep it private
// (DESIGN.md "The token cache").
#include "core/cache_dir.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/errors.h"

namespace aks {
namespace {

// "/a/b//" → "/a/b": a trailing slash would make lstat follow a final symlink.
std::string strip_trailing_slashes(std::string p) {
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p;
}

std::string home_dir(const EnvLookup& env) {
    if (env) {
        if (auto h = env("HOME"); h && !h->empty()) return *h;
    }
    // The full binary's environment answers HOME from the password database
    // (core/home_env.h); reaching here means there is no home at all.
    throw CacheError("cannot find your home directory; set HOME or use --cache-dir");
}

// The checks shared by ensure_private_dir and check_private_dir, on an lstat result.
void check_stat(const std::string& dir, const struct stat& st) {
    if (S_ISLNK(st.st_mode)) {
        throw CacheError("cache directory " + dir + " is a symbolic link; use --cache-dir with a real directory");
    }
    if (!S_ISDIR(st.st_mode)) {
        throw CacheError("cache directory " + dir + " is not a directory; remove it or use --cache-dir");
    }
    const uid_t me = geteuid();
    if (st.st_uid != me) {
        throw CacheError("cache directory " + dir + " is owned by uid " + std::to_string(st.st_uid) +
                         ", not you (uid " + std::to_string(me) + "); use --cache-dir");
    }
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        throw CacheError("cache directory " + dir + " is writable by group or others; run: chmod 700 " + dir);
    }
}

std::string errno_text(int err) { return std::strerror(err); }

}  // namespace

std::string resolve_cache_dir(const std::string& flag_value, const EnvLookup& env) {
    if (!flag_value.empty()) return strip_trailing_slashes(flag_value);
    if (env) {
        if (auto k = env("KUBECACHEDIR"); k && !k->empty()) {
            const std::string base = strip_trailing_slashes(*k);
            return base == "/" ? "/aks-auth" : base + "/aks-auth";
        }
    }
    return strip_trailing_slashes(home_dir(env)) + "/.kube/cache/aks-auth";
}

void ensure_private_dir(const std::string& dir_in) {
    const std::string dir = strip_trailing_slashes(dir_in);
    if (dir.empty()) throw CacheError("cache directory is empty; use --cache-dir");

    // mkdir -p, creating each missing component 0700.
    for (std::size_t pos = 1; pos <= dir.size(); ++pos) {
        if (pos != dir.size() && dir[pos] != '/') continue;
        const std::string part = dir.substr(0, pos);
        if (part.back() == '/') continue;  // "a//b"
        if (::mkdir(part.c_str(), 0700) == 0) {
            // The umask may have removed owner bits; set exactly 0700.
            if (::chmod(part.c_str(), 0700) != 0) {
                throw CacheError("cannot set mode 700 on " + part + ": " + errno_text(errno));
            }
        } else if (errno != EEXIST) {
            throw CacheError("cannot create cache directory " + part + ": " + errno_text(errno));
        }
    }

    struct stat st;
    if (::lstat(dir.c_str(), &st) != 0) {
        throw CacheError("cannot use cache directory " + dir + ": " + errno_text(errno));
    }
    check_stat(dir, st);
}

bool check_private_dir(const std::string& dir_in) {
    const std::string dir = strip_trailing_slashes(dir_in);
    struct stat st;
    if (::lstat(dir.c_str(), &st) != 0) {
        if (errno == ENOENT) return false;
        throw CacheError("cannot use cache directory " + dir + ": " + errno_text(errno));
    }
    check_stat(dir, st);
    return true;
}

}  // namespace aks
