// `aks-token logout`: forget one identity's tokens, or all of them.
#include <dirent.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>

#include "core/cache_dir.h"
#include "core/errors.h"
#include "core/token_cache.h"
#include "credential-plugin/command_flags.h"
#include "credential-plugin/commands.h"

namespace aks {

namespace {

struct DirCloser {
    void operator()(DIR* d) const { ::closedir(d); }
};

// "<64 hex>.json" / ".lock": what TokenCache writes (corrupt entries too,
// which list() skips, and lock files of keys that never got a token), and
// nothing else that may share the directory. Returns the stem.
std::string entry_stem(const std::string& name) {
    constexpr std::size_t kStem = 64;
    if (name.size() != kStem + 5) return {};
    const std::string ext = name.substr(kStem);
    if (ext != ".json" && ext != ".lock") return {};
    const bool hex = std::all_of(name.begin(), name.begin() + kStem,
                                 [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
    return hex ? name.substr(0, kStem) : std::string();
}

int logout_all(const std::string& dir) {
    const TokenCache cache(dir);
    int removed = 0;
    if (check_private_dir(dir)) {
        std::map<std::string, bool> stems;  // stem → has a .json entry
        {
            std::unique_ptr<DIR, DirCloser> d(::opendir(dir.c_str()));
            if (!d) throw CacheError("cannot list cache directory " + dir);
            while (const dirent* ent = ::readdir(d.get())) {
                const std::string name = ent->d_name;
                const std::string stem = entry_stem(name);
                if (stem.empty()) continue;
                stems[stem] = stems[stem] || name.compare(stem.size(), 5, ".json") == 0;
            }
        }
        for (const auto& [stem, has_entry] : stems) {
            // remove_path takes the .lock away too, under the lock.
            if (cache.remove_path(dir + "/" + stem + ".json") && has_entry) ++removed;
        }
    }
    std::cout << "Removed " << removed << (removed == 1 ? " cached token" : " cached tokens") << " from " << dir
              << '\n';
    return kExitOk;
}

}  // namespace

int run_logout(const std::vector<std::string>& args, const CommandContext& ctx) {
    std::vector<std::string> rest = args;
    if (take_flag(rest, flags::all())) {
        auto dir = take_option(rest, login_flag(FlagId::CacheDir));
        if (auto old = take_option(rest, login_flag(FlagId::TokenCacheDir)); old && !dir) dir = old;
        if (!rest.empty()) throw UsageError("logout --all takes no login flags other than --cache-dir");
        return logout_all(resolve_cache_dir(dir.value_or(""), ctx.env));
    }
    if (rest.empty()) {
        throw UsageError("logout needs the login flags of the identity to forget (as given to get-token), or --all");
    }
    const LoginSettings s = login_settings_from(rest, ctx);
    const TokenCache cache(resolve_cache_dir(s.cache_dir, ctx.env));
    const auto old = cache.read(s);
    const std::string who =
        old && !old->claims.upn.empty() ? old->claims.upn + " (" + identity_summary(s) + ")" : identity_summary(s);
    if (cache.remove(s)) {
        std::cout << "Removed cached token for " << who << '\n';
    } else {
        std::cout << "No cached token for " << who << '\n';
    }
    return kExitOk;
}

}  // namespace aks
