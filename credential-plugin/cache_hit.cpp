#include "credential-plugin/cache_hit.h"

#include "core/cache_dir.h"
#include "core/expiry.h"
#include "core/token_cache.h"
#include "credential-plugin/exec_credential.h"

namespace aks {

std::optional<std::string> try_cache_hit(const std::vector<std::string>& args, const EnvLookup& env,
                                         std::int64_t now) noexcept {
    try {
        if (args.empty()) return std::nullopt;
        const std::string& command = args.front();
        const bool get_token = command == "get-token";
        if (!get_token && command != "token") return std::nullopt;

        // Same parser as the full binary, so the same flags give the same key.
        // Anything it doesn't know (-v, --force, typos) goes to the full binary.
        const std::vector<std::string> flags(args.begin() + 1, args.end());
        const ParsedLoginArgs parsed = parse_login_args(flags, env, false);
        if (parsed.help || !parsed.rest.empty()) return std::nullopt;

        // Bad KUBERNETES_EXEC_INFO throws here; the full binary reports it.
        ExecInfo info;
        if (get_token) info = parse_exec_info(env("KUBERNETES_EXEC_INFO"));

        const TokenCache cache(resolve_cache_dir(parsed.settings.cache_dir, env));
        const std::optional<Token> token = cache.read(parsed.settings);
        if (!token || token->access_token.empty() || !is_fresh(*token, now)) return std::nullopt;

        if (get_token) return format_exec_credential(info, *token);
        return token->access_token + "\n";
    } catch (...) {
        return std::nullopt;
    }
}

}  // namespace aks
