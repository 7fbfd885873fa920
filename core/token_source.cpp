#include "core/token_source.h"

#include <iostream>

#include "core/cache_dir.h"
#include "core/errors.h"
#include "core/expiry.h"
#include "core/file_lock.h"
#include "core/login_flow.h"
#include "core/sha256.h"

namespace aks {
namespace {

void log(const TokenRequest& req, const std::string& line) {
    if (req.verbose) *req.verbose << line << '\n' << std::flush;
}

std::string describe(const Token& t) {
    return "token " + token_fingerprint(t.access_token) + " expires " + rfc3339_utc(t.expires_on);
}

}  // namespace

std::string token_fingerprint(const std::string& access_token) {
    return "sha256:" + sha256_hex(access_token).substr(0, 12);
}

Token acquire_token(const LoginSettings& s, const TokenCache& cache, const TokenRequest& req,
                    const TokenSourceDeps& deps) {
    const Clock clock = deps.clock ? deps.clock : system_clock();
    const Sleeper sleep = deps.sleep ? deps.sleep : real_sleeper();

    // Hot path: no lock, one file read.
    if (!req.force_login) {
        if (auto cached = cache.read(s); cached && is_fresh(*cached, clock())) {
            log(req, "cache hit: " + describe(*cached));
            return *cached;
        }
    }

    // Before touching the cache directory: bad input writes nothing.
    if (!supported_login_mode(s.login_mode))
        throw UsageError("--login " + s.login_mode + " is not supported yet by aks-token");
    LoginFlowDeps flow;
    flow.env = deps.env ? deps.env : (deps.http.env ? deps.http.env : process_env());
    const PreparedLogin prepared = prepare_login(s, flow.env);

    ensure_private_dir(cache.dir());
    const FileLock lock = FileLock::acquire(cache.lock_path(s));
    // Whoever held the lock before us may just have logged in or refreshed.
    std::optional<Token> old = cache.read(s);
    if (old && !req.force_login && is_fresh(*old, clock())) {
        log(req, "cache hit after waiting for the lock: " + describe(*old));
        return *old;
    }
    const bool old_valid = old && is_valid(*old, clock());

    flow.http = deps.http;
    if (flow.http.ca_file.empty()) flow.http.ca_file = s.certificate_authority;
    if (!flow.http.sleep) flow.http.sleep = sleep;
    if (!flow.http.clock) flow.http.clock = clock;
    if (!flow.http.env) flow.http.env = flow.env;
    flow.clock = clock;
    flow.sleep = sleep;
    flow.prompt = req.prompt;
    flow.run_process = deps.run_process;
    flow.open_browser = deps.open_browser;
    flow.cache_dir = cache.dir();

    if (old && !old->refresh_token.empty() && uses_refresh_token(s) && !req.force_login) {
        log(req, "cache stale: refreshing " + describe(*old));
        try {
            Token fresh = run_refresh(s, old->refresh_token, flow);
            cache.write(s, fresh);
            log(req, "refreshed: " + describe(fresh));
            return fresh;
        } catch (const AuthError& e) {
            log(req, std::string("refresh failed: ") + e.what());
            if (old_valid) {
                if (req.prompt)
                    *req.prompt << "warning: " << e.what() << "; using the cached token until "
                                << rfc3339_utc(old->expires_on) << '\n'
                                << std::flush;
                return *old;
            }
            // The refresh token is unusable: fall through to a new sign-in.
        } catch (const TransportError& e) {
            log(req, std::string("refresh failed: ") + e.what());
            if (!old_valid) throw;
            if (req.prompt)
                *req.prompt << "warning: " << e.what() << "; using the cached token until "
                            << rfc3339_utc(old->expires_on) << '\n'
                            << std::flush;
            return *old;
        }
    }

    // Device code needs someone at a terminal; a browser sign-in needs no
    // terminal (Headlamp desktop runs plugins without one); the other modes
    // never ask anyone.
    if (presence_needed(s) == Presence::terminal && !req.interactive_allowed) {
        if (old_valid && !req.force_login) {
            log(req, "no refresh possible, using the still valid " + describe(*old));
            return *old;
        }
        throw InteractionRequired("sign-in required");
    }

    Token t;
    try {
        t = run_login_flow(s, prepared, flow);
    } catch (const std::runtime_error& e) {
        // A mode that needs no person failing (IMDS hiccup, az offline) still
        // leaves a token that works for a while: use it, as refresh does.
        const bool transient = dynamic_cast<const TransportError*>(&e) || dynamic_cast<const AuthError*>(&e);
        if (!transient || !old_valid || req.force_login || presence_needed(s) != Presence::none) throw;
        if (req.prompt)
            *req.prompt << "warning: " << e.what() << "; using the cached token until "
                        << rfc3339_utc(old->expires_on) << '\n'
                        << std::flush;
        return *old;
    }
    cache.write(s, t);
    log(req, "signed in with --login " + s.login_mode + ": " + describe(t));
    return t;
}

}  // namespace aks
