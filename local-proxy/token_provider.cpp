#include "local-proxy/token_provider.h"

#include <sys/stat.h>

#include "core/errors.h"
#include "core/expiry.h"
#include "core/redact.h"
#include "core/token_source.h"

namespace aks::proxy {
namespace {

bool same_time(const std::optional<timespec>& a, const std::optional<timespec>& b) {
    if (a.has_value() != b.has_value()) return false;
    return !a || (a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec);
}

constexpr std::int64_t kRetryAfterFailure = 10;  // seconds between failed refresh attempts

}  // namespace

TokenProvider::TokenProvider(TokenProviderOptions options)
    : options_(std::move(options)), cache_(options_.cache_dir), entry_path_(cache_.entry_path(options_.settings)) {
    if (!options_.clock) options_.clock = system_clock();
}

TokenProvider::~TokenProvider() { stop(); }

void TokenProvider::warn(const std::string& line) const {
    // Error texts come from the identity provider and the flags: never a secret or a token.
    if (options_.log) *options_.log << "aks-proxy: " << redact_text(line) << '\n' << std::flush;
}

std::optional<timespec> TokenProvider::cache_mtime() const {
    struct stat st {};
    if (::stat(entry_path_.c_str(), &st) != 0) return std::nullopt;
    return st.st_mtim;
}

void TokenProvider::adopt(const Token& t, const char* why) {
    held_ = t;
    {
        std::lock_guard<std::mutex> lock(mu_);
        bearer_ = std::make_shared<const std::string>("Bearer " + t.access_token);
        expires_on_ = t.expires_on;
    }
    if (options_.verbose)
        warn(std::string("token ") + token_fingerprint(t.access_token) + " (" + why + "), expires " +
             rfc3339_utc(t.expires_on));
}

bool TokenProvider::load_initial() {
    seen_mtime_ = cache_mtime();
    if (auto t = cache_.read(options_.settings); t && is_fresh(*t, options_.clock())) {
        adopt(*t, "from the cache");
        return true;
    }
    try {
        adopt(acquire(true), "signed in");
        seen_mtime_ = cache_mtime();
        return true;
    } catch (const InteractionRequired&) {
        warn("no token yet; requests get 401 until you run: " + options_.login_command);
    } catch (const AuthError& e) {
        warn(std::string("no token yet (") + e.what() + "); run: " + options_.login_command);
    } catch (const TransportError& e) {
        warn(std::string("no token yet (") + e.what() + "); run: " + options_.login_command);
    }
    return false;
}

Token TokenProvider::acquire(bool at_start) const {
    TokenRequest req;
    // Only the start-up login may prompt (when a terminal is attached) or talk
    // on the log; the background refresh stays silent.
    req.interactive_allowed = at_start && options_.interactive_allowed;
    req.prompt = at_start ? options_.log : nullptr;
    req.verbose = options_.verbose ? options_.log : nullptr;
    TokenSourceDeps deps;  // the identity provider's CA comes from the settings
    deps.clock = options_.clock;
    deps.sleep = real_sleeper();
    deps.env = options_.env;
    if (!options_.exec_env.empty()) {
        deps.run_process = [overlay = options_.exec_env](const std::vector<std::string>& argv, std::int64_t timeout) {
            return run_process(argv, timeout, overlay);
        };
    }
    return acquire_token(options_.settings, cache_, req, deps);
}

void TokenProvider::refresh() {
    try {
        adopt(acquire(false), "refreshed");
        last_error_.clear();
    } catch (const std::exception& e) {
        next_attempt_ = options_.clock() + kRetryAfterFailure;
        if (last_error_ != e.what()) warn(std::string("token refresh failed: ") + e.what());
        last_error_ = e.what();
    }
    seen_mtime_ = cache_mtime();
}

void TokenProvider::tick() {
    const std::int64_t now = options_.clock();
    // Someone else wrote the entry (aks-token login, kubectl's refresh): take it if it is newer.
    const std::optional<timespec> mtime = cache_mtime();
    if (!same_time(mtime, seen_mtime_)) {
        seen_mtime_ = mtime;
        try {
            if (auto t = cache_.read(options_.settings);
                t && is_valid(*t, now) && (!held_ || t->access_token != held_->access_token)) {
                adopt(*t, "re-read from the cache");
                next_attempt_ = 0;
            }
        } catch (const CacheError& e) {
            warn(e.what());
        }
    }
    // No token at all: wait for a login to write one; refreshing needs a refresh token we do not have.
    if (!held_ || now < next_attempt_) return;
    if (!is_fresh(*held_, now)) refresh();
}

void TokenProvider::start_background() {
    thread_ = std::thread([this] {
        std::unique_lock<std::mutex> lock(stop_mu_);
        while (!stopping_) {
            lock.unlock();
            tick();
            lock.lock();
            stop_cv_.wait_for(lock, options_.poll, [this] { return stopping_; });
        }
    });
}

void TokenProvider::stop() {
    {
        std::lock_guard<std::mutex> lock(stop_mu_);
        stopping_ = true;
    }
    stop_cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

std::shared_ptr<const std::string> TokenProvider::authorization() const {
    const std::int64_t now = options_.clock();
    std::lock_guard<std::mutex> lock(mu_);
    if (!bearer_ || now >= expires_on_) return nullptr;
    return bearer_;
}

std::string TokenProvider::missing_token_message() const {
    return "no valid token for the API server; sign in with: " + options_.login_command;
}

}  // namespace aks::proxy
