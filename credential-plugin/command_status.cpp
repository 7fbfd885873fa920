// `aks-token status` / `whoami`: what is cached, never the token.
#include <ctime>
#include <iostream>

#include "core/cache_dir.h"
#include "core/errors.h"
#include "core/token_cache.h"
#include "credential-plugin/command_flags.h"
#include "credential-plugin/commands.h"
#include "credential-plugin/status_format.h"

namespace aks {

int run_status(const std::vector<std::string>& args, const CommandContext& ctx) {
    std::vector<std::string> rest = args;
    const std::string output = take_option(rest, flags::status_output()).value_or("text");
    if (output != "text" && output != "json") throw UsageError("--output must be text or json, not '" + output + "'");
    const bool json = output == "json";

    // Only --cache-dir (or nothing): every entry of that directory.
    std::vector<std::string> probe = rest;
    auto dir_flag = take_option(probe, login_flag(FlagId::CacheDir));
    if (auto old = take_option(probe, login_flag(FlagId::TokenCacheDir)); old && !dir_flag) dir_flag = old;

    std::vector<CacheEntry> entries;
    std::string dir;
    std::string missing;
    if (probe.empty()) {
        dir = resolve_cache_dir(dir_flag.value_or(""), ctx.env);
        entries = TokenCache(dir).list();
        missing = "No cached tokens in " + dir;
    } else {
        const LoginSettings s = login_settings_from(rest, ctx);
        dir = resolve_cache_dir(s.cache_dir, ctx.env);
        const TokenCache cache(dir);
        if (auto t = cache.read(s)) {
            CacheEntry e;
            e.path = cache.entry_path(s);
            e.key = CacheKeyFields{s.authority_host, s.tenant_id,  s.client_id,
                                   s.server_id,      s.login_mode, s.principal_hint()};
            e.token = std::move(*t);
            entries.push_back(std::move(e));
        }
        missing = "No cached token for " + identity_summary(s) + " in " + dir;
    }

    const std::int64_t now = std::time(nullptr);
    if (json) {
        std::cout << format_status_json(entries, now);
    } else if (entries.empty()) {
        std::cout << missing << '\n';
    } else {
        std::cout << format_status_text(entries, now);
    }
    return kExitOk;
}

}  // namespace aks
