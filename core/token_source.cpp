#include "core/token_source.h"

#include <algorithm>
#include <iostream>
#include <optional>

#include "core/cache_dir.h"
#include "core/errors.h"
#include "core/expiry.h"
#include "core/file_lock.h"
#include "core/lock_wait.h"
#include "core/login_flow.h"
#include "core/sha256.h"

namespace aks {
namespace {

std::string describe(const Token& t) {
    return "token " + token_fingerprint(t.access_token) + " expires " + rfc3339_utc(t.expires_on);
}

// One acquire_token call: its settings, request, clocks and deadline.
class Acquisition {
public:
    Acquisition(const LoginSettings& s, const TokenCache& cache, const TokenRequest& req, const TokenSourceDeps& deps)
        : s_(s), cache_(cache), req_(req), deps_(deps) {
        clock_ = deps.clock ? deps.clock : system_clock();
        sleep_ = deps.sleep ? deps.sleep : real_sleeper();
        steady_ = deps.steady ? deps.steady : (deps.http.steady ? deps.http.steady : steady_clock_ms());
        timeout_s_ = s.timeout_seconds > 0 ? s.timeout_seconds : kDefaultTimeoutSeconds;
        timeout_name_ = s.timeout_seconds > 0 ? "--timeout " + std::to_string(s.timeout_seconds) + "s"
                                              : std::to_string(kDefaultTimeoutSeconds) + "s (the default --timeout)";
        deadline_ms_ = steady_() + timeout_s_ * 1000;
    }

    Token run();

private:
    void log(const std::string& line) const {
        if (req_.verbose) *req_.verbose << line << '\n' << std::flush;
    }
    // A line for whoever runs us (stderr): warnings, the lock-wait notice.
    void say(const std::string& line) const {
        if (req_.prompt) *req_.prompt << req_.line_prefix << line << '\n' << std::flush;
    }
    Token use_cached(const Token& t, const std::string& why) const {
        say("warning: " + why + "; using the cached token until " + rfc3339_utc(t.expires_on));
        return t;
    }

    FileLock wait_lock();
    LoginFlowDeps flow_deps(bool fallback_exists) const;
    Token save(const Token& t, const std::optional<Token>& old_valid);

    const LoginSettings& s_;
    const TokenCache& cache_;
    const TokenRequest& req_;
    const TokenSourceDeps& deps_;
    Clock clock_;
    Sleeper sleep_;
    SteadyClock steady_;
    std::int64_t timeout_s_ = 0;
    std::string timeout_name_;
    std::int64_t deadline_ms_ = 0;
};

// Waits for the key's lock another process holds, bounded by --timeout,
// saying after a moment whom it waits for.
FileLock Acquisition::wait_lock() {
    LockWait w;
    w.steady = steady_;
    w.sleep = sleep_;
    w.deadline_ms = deadline_ms_;
    w.limit = std::to_string(timeout_s_) + "s";
    w.notice = [this](const std::string& line) { say(line); };
    return wait_for_lock(cache_.lock_path(s_), lock_holder_note(), w);
}

LoginFlowDeps Acquisition::flow_deps(bool fallback_exists) const {
    LoginFlowDeps flow;
    flow.env = deps_.env ? deps_.env : (deps_.http.env ? deps_.http.env : process_env());
    flow.http = deps_.http;
    if (flow.http.ca_file.empty()) flow.http.ca_file = s_.certificate_authority;
    if (!flow.http.sleep) flow.http.sleep = sleep_;
    if (!flow.http.clock) flow.http.clock = clock_;
    if (!flow.http.steady) flow.http.steady = steady_;
    if (!flow.http.env) flow.http.env = flow.env;
    if (!flow.http.trace && req_.verbose) {
        std::ostream* v = req_.verbose;
        flow.http.trace = [v](const std::string& line) { *v << "aks-auth: " << line << '\n' << std::flush; };
    }
    // --timeout bounds every request; without it each request gets the
    // default. With a working token to fall back on, a refresh gets less.
    if (s_.timeout_seconds > 0) flow.http.deadline_ms = deadline_ms_;
    flow.http.request_budget_ms = timeout_s_ * 1000;
    flow.http.budget_name = timeout_name_;
    if (fallback_exists && timeout_s_ > kRefreshWithFallbackSeconds) {
        flow.http.request_budget_ms = kRefreshWithFallbackSeconds * 1000;
        flow.http.budget_name = std::to_string(kRefreshWithFallbackSeconds) + "s (a cached token still works)";
    }
    flow.clock = clock_;
    flow.sleep = sleep_;
    flow.prompt = req_.prompt;
    flow.status = req_.status;
    flow.run_process = deps_.run_process;
    flow.open_browser = deps_.open_browser;
    flow.cache_dir = cache_.dir();
    return flow;
}

// Caches a new token. When that fails, `login` fails; a command that only
// needs the token gets it (or the still-valid old one) with a warning.
Token Acquisition::save(const Token& t, const std::optional<Token>& old_valid) {
    try {
        cache_.write(s_, t);
        return t;
    } catch (const CacheError& e) {
        if (req_.must_save) throw;
        if (old_valid) return use_cached(*old_valid, e.what());
        say(std::string("warning: ") + e.what() + "; the new token is used for this call only");
        return t;
    }
}

Token Acquisition::run() {
    // Hot path: no lock, one file read.
    std::optional<Token> cached;
    if (!req_.force_login) {
        cached = cache_.read(s_);
        if (cached && is_fresh(*cached, clock_())) {
            log("cache hit: " + describe(*cached));
            return *cached;
        }
    }

    // Before touching the cache directory: bad input writes nothing.
    if (!supported_login_mode(s_.login_mode))
        throw UsageError("--login " + s_.login_mode + " is not supported yet by aks-token");
    const PreparedLogin prepared = prepare_login(s_, flow_deps(false).env);

    ensure_private_dir(cache_.dir());
    const bool cached_valid = !req_.force_login && cached && is_valid(*cached, clock_());
    std::optional<FileLock> held;
    try {
        held = FileLock::try_acquire(cache_.lock_path(s_), lock_holder_note());
        if (!held) {
            // Someone else is signing in or refreshing: a token that still
            // works is the answer now, without waiting for them.
            if (cached_valid) {
                log("another process holds the lock; using the still valid " + describe(*cached));
                return *cached;
            }
            held = wait_lock();
        }
    } catch (const CacheError& e) {
        if (cached_valid) return use_cached(*cached, e.what());
        throw;
    }

    // Whoever held the lock before us may just have logged in or refreshed.
    std::optional<Token> old = cache_.read(s_);
    if (old && !req_.force_login && is_fresh(*old, clock_())) {
        log("cache hit after waiting for the lock: " + describe(*old));
        return *old;
    }
    const bool old_valid = old && is_valid(*old, clock_());
    const std::optional<Token> fallback = old_valid && !req_.force_login ? old : std::nullopt;

    std::string reason;  // why a new sign-in is needed, shown with it
    if (old && !old->refresh_token.empty() && uses_refresh_token(s_) && !req_.force_login) {
        log("cache stale: refreshing " + describe(*old));
        try {
            Token fresh = run_refresh(s_, old->refresh_token, flow_deps(old_valid));
            log("refreshed: " + describe(fresh));
            return save(fresh, fallback);
        } catch (const GrantRejected& e) {
            log(std::string("refresh token rejected: ") + e.what());
            // Never send a dead refresh token again; keep a token that works.
            try {
                cache_.forget_refresh_token(s_, *old, clock_());
            } catch (const CacheError& ce) {
                say(std::string("warning: ") + ce.what());
            }
            if (old_valid) return use_cached(*old, e.what());
            reason = e.what();
        } catch (const AuthError& e) {
            if (old_valid) return use_cached(*old, e.what());
            throw;
        } catch (const TransportError& e) {
            if (old_valid) return use_cached(*old, e.what());
            throw;
        }
    }

    // Device code needs someone at a terminal; a browser sign-in needs no
    // terminal (Headlamp desktop runs plugins without one); the other modes
    // never ask anyone.
    if (presence_needed(s_) == Presence::terminal && !req_.interactive_allowed) {
        if (fallback) {
            log("no refresh possible, using the still valid " + describe(*old));
            return *old;
        }
        throw InteractionRequired(reason.empty() ? "sign-in required" : reason);
    }
    if (!reason.empty()) say(reason + "; signing in again");

    Token t;
    try {
        t = run_login_flow(s_, prepared, flow_deps(fallback.has_value()));
    } catch (const std::runtime_error& e) {
        // A mode that needs no person failing (IMDS hiccup, az offline) still
        // leaves a token that works for a while: use it, as refresh does.
        const bool flow_failure = dynamic_cast<const TransportError*>(&e) || dynamic_cast<const AuthError*>(&e);
        if (!flow_failure || !fallback || presence_needed(s_) != Presence::none) throw;
        return use_cached(*old, e.what());
    }
    log("signed in with --login " + s_.login_mode + ": " + describe(t));
    return save(t, fallback);
}

}  // namespace

std::string token_fingerprint(const std::string& access_token) {
    return "sha256:" + sha256_hex(access_token).substr(0, 12);
}

Token acquire_token(const LoginSettings& s, const TokenCache& cache, const TokenRequest& req,
                    const TokenSourceDeps& deps) {
    return Acquisition(s, cache, req, deps).run();
}

}  // namespace aks
