#pragma once
// The proxy's token: the same cache entry kubectl's `aks-token get-token`
// uses, held in memory. A background thread refreshes it once it enters the
// refresh margin (acquire_token: under the key's lock, re-reading first, so
// aks-token and the proxy never both refresh), and re-reads the file when
// another process rewrites it (aks-token login, a refresh by kubectl).
#include <sys/types.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/login_args.h"
#include "core/login_settings.h"
#include "core/process_runner.h"
#include "core/token.h"
#include "core/token_cache.h"
#include "local-proxy/engine_types.h"

namespace aks::proxy {

struct TokenProviderOptions {
    LoginSettings settings;
    std::string cache_dir;      // resolved (resolve_cache_dir)
    std::string login_command;  // "aks-token login --context X": named in 401 answers
    bool interactive_allowed = false;  // a terminal is attached: the start-up login may prompt
    std::ostream* log = nullptr;       // warnings and, with verbose, fingerprints
    bool verbose = false;
    Clock clock;                       // defaults to the system clock
    // The context's exec entry env list: kubectl runs the plugin with it, so
    // the logins run here see it too (env: the lookup with it applied; the
    // overlay: for az and azd). Empty: this process's environment.
    EnvLookup env;
    EnvOverlay exec_env;
    std::chrono::milliseconds poll{1000};
};

class TokenProvider : public BearerSource {
public:
    explicit TokenProvider(TokenProviderOptions options);
    ~TokenProvider() override;
    TokenProvider(const TokenProvider&) = delete;
    TokenProvider& operator=(const TokenProvider&) = delete;

    // The cached token, else the context's login (prompting on stderr when a
    // terminal is attached). false, with one warning line, when none could be
    // had: the proxy still starts and answers 401 until a login happens.
    // Throws CacheError for an unsafe cache directory.
    bool load_initial();
    void start_background();  // the refresh/re-read thread
    void stop();

    std::shared_ptr<const std::string> authorization() const override;
    std::string missing_token_message() const override;

    // One step of the background loop, exposed for tests.
    void tick();

private:
    void adopt(const Token& t, const char* why);
    void refresh();
    // acquire_token for these settings, as at start-up or in the background.
    Token acquire(bool at_start) const;
    std::optional<timespec> cache_mtime() const;
    void warn(const std::string& line) const;

    TokenProviderOptions options_;
    TokenCache cache_;
    std::string entry_path_;

    mutable std::mutex mu_;  // guards bearer_ and expires_on_
    std::shared_ptr<const std::string> bearer_;
    std::int64_t expires_on_ = 0;

    // Background thread state (only that thread touches these after start).
    std::optional<Token> held_;
    std::optional<timespec> seen_mtime_;
    std::int64_t next_attempt_ = 0;
    std::string last_error_;

    std::mutex stop_mu_;
    std::condition_variable stop_cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace aks::proxy
