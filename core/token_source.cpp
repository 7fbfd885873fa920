#include "core/token_source.h"

#include <iostream>

#include "core/cache_dir.h"
#include "core/device_code_flow.h"
#include "core/errors.h"
#include "core/expiry.h"
#include "core/file_lock.h"
#include "core/identity_endpoints.h"
#include "core/refresh_flow.h"
#include "core/sha256.h"

namespace aks {
namespace {

void log(const TokenRequest& req, const std::string& line) {
    if (req.verbose) *req.verbose << line << '\n' << std::flush;
}

std::string describe(const Token& t) {
    return "token " + token_fingerprint(t.access_token) + " expires " + rfc3339_utc(t.expires_on);
}

// Modes this core can run end to end; others fail before anything is asked.
bool supported_mode(const std::string& mode) { return mode == "devicecode"; }

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
    if (!supported_mode(s.login_mode))
        throw UsageError("--login " + s.login_mode + " is not supported yet by aks-token");

    ensure_private_dir(cache.dir());
    const FileLock lock = FileLock::acquire(cache.lock_path(s));
    // Whoever held the lock before us may just have logged in or refreshed.
    std::optional<Token> old = cache.read(s);
    if (old && !req.force_login && is_fresh(*old, clock())) {
        log(req, "cache hit after waiting for the lock: " + describe(*old));
        return *old;
    }
    const bool old_valid = old && is_valid(*old, clock());

    HttpClientOptions http_options = deps.http;
    if (http_options.ca_file.empty()) http_options.ca_file = s.certificate_authority;
    if (!http_options.sleep) http_options.sleep = sleep;
    if (!http_options.clock) http_options.clock = clock;
    HttpClient http(http_options);
    const IdentityEndpoints endpoints = entra_endpoints(s);
    const std::string scope = user_flow_scope(s);

    if (old && !old->refresh_token.empty() && !req.force_login) {
        log(req, "cache stale: refreshing " + describe(*old));
        try {
            Token fresh = redeem_refresh_token(http, endpoints, s.client_id, scope, old->refresh_token, clock());
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

    // From here on a person has to take part.
    if (!req.interactive_allowed) {
        if (old_valid && !req.force_login) {
            log(req, "no refresh possible, using the still valid " + describe(*old));
            return *old;
        }
        throw InteractionRequired("sign-in required");
    }

    DeviceCodeParams params{endpoints, s.client_id, scope, s.timeout_seconds};
    Token t = run_device_code_flow(http, params, req.prompt ? *req.prompt : std::cerr, clock, sleep);
    cache.write(s, t);
    log(req, "signed in: " + describe(t));
    return t;
}

}  // namespace aks
