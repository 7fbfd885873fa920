// Helpers every subcommand of aks-token-full shares.
#include <unistd.h>

#include <iostream>

#include "core/cache_dir.h"
#include "core/errors.h"
#include "core/expiry.h"
#include "core/sign_in_status.h"
#include "core/token_cache.h"
#include "core/token_source.h"
#include "credential-plugin/commands.h"

namespace aks {

LoginSettings parse_login_flags_only(const std::vector<std::string>& args, const CommandContext& ctx) {
    ParsedLoginArgs parsed = parse_login_args(args, ctx.env, false);
    if (!parsed.rest.empty()) {
        throw UsageError("unexpected argument '" + parsed.rest.front() + "' (see aks-token --help)");
    }
    return std::move(parsed.settings);
}

Token obtain_token(const LoginSettings& s, bool interactive_allowed, bool force_login, const CommandContext& ctx,
                   bool must_save, bool* signed_in_shown) {
    const TokenCache cache(resolve_cache_dir(s.cache_dir, ctx.env));
    std::ostream* verbose = ctx.global.verbosity > 0 ? &std::cerr : nullptr;
    if (verbose) {
        *verbose << "aks-token: cache " << cache.entry_path(s) << " for " << identity_summary(s)
                 << (interactive_allowed ? " (interactive)" : " (not interactive)") << '\n'
                 << std::flush;
    }

    TokenRequest req;
    req.interactive_allowed = interactive_allowed;
    req.force_login = force_login;
    req.must_save = must_save;
    req.prompt = &std::cerr;
    req.line_prefix = "aks-token: ";
    req.verbose = verbose;
    // A status line rewritten in place on a terminal; with -v the trace lines
    // would land inside it, so plain lines then.
    SignInStatus status(std::cerr, verbose ? 0 : status_line_columns(STDERR_FILENO, ctx.env), s.tenant_id);
    req.status = &status;

    TokenSourceDeps deps;
    deps.clock = system_clock();
    deps.sleep = real_sleeper();
    deps.http.ca_file = s.certificate_authority;

    try {
        Token t = acquire_token(s, cache, req, deps);
        if (signed_in_shown) *signed_in_shown = status.announced();
        if (verbose) {
            *verbose << "aks-token: " << token_fingerprint(t.access_token) << " expires " << rfc3339_utc(t.expires_on)
                     << ", handed out until " << rfc3339_utc(client_expiry(t)) << '\n'
                     << std::flush;
        }
        return t;
    } catch (const InteractionRequired& e) {
        // The reason (e.g. the AADSTS line of a rejected refresh token) first.
        const std::string reason = e.what();
        throw InteractionRequired((reason == "sign-in required" ? std::string() : reason + "; ") +
                                  "sign-in required and this session is not interactive; run: " +
                                  login_command_line(s, ctx.env));
    }
}

}  // namespace aks
