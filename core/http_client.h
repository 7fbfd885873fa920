#pragma once
// HTTPS client for identity providers, on cpp-httplib. Verified TLS always
// (system store, SSL_CERT_FILE, or --certificate-authority); HTTPS_PROXY /
// NO_PROXY honoured unless `use_proxy` is false (IMDS).
//
// Every request applies the one retry policy of DESIGN.md "Identity-provider
// failures": answers are classified (core/idp_answer.h); transient ones
// (network errors, timeouts, 5xx, 429, anything that is not the expected
// JSON) are tried again a few times with exponential backoff and jitter,
// Retry-After honoured up to a cap, all inside the request's time budget,
// then TransportError "identity provider unavailable: HTTP 503 from HOST
// after 3 tries". The same shape as Azure SDK for Go's retry policy
// (azcore/runtime/policy_retry.go: exponential delay with jitter, a
// Retry-After beyond MaxRetryDelay ends the retries, the context deadline
// ends everything), which Azure/kubelogin runs under its --timeout.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/idp_answer.h"
#include "core/login_args.h"
#include "core/oauth_error.h"

namespace aks {

// What a request ends with: a usable 2xx answer, an OAuth error the provider
// means (`error` set), or a status the caller asked for (Expect::final_statuses).
struct HttpResponse {
    int status = 0;
    std::string body;
    std::string content_type;
    std::optional<OAuthError> error;
    bool ok() const { return status >= 200 && status <= 299; }
};

struct HttpClientOptions {
    std::string ca_file;              // --certificate-authority; else SSL_CERT_FILE; else system
    bool use_proxy = true;            // false for IMDS (never through a proxy)
    int connect_timeout_seconds = 10;
    int read_timeout_seconds = 30;
    int max_attempts = 3;             // first try + retries of transient answers
    std::int64_t first_backoff_ms = 500;     // then doubled each time, plus up to half again of jitter
    std::int64_t max_retry_after_ms = 30000;  // a longer Retry-After ends the retries at once
    // Time budget: a request with its retries ends by `deadline_ms` (steady
    // clock; 0: none) and within `request_budget_ms` of its start.
    std::int64_t deadline_ms = 0;
    std::int64_t request_budget_ms = 60000;
    std::string budget_name = "60s";  // how messages name the budget ("--timeout 5s")
    EnvLookup env;                    // defaults to the process environment
    Sleeper sleep;                    // defaults to real sleeping
    Clock clock;                      // defaults to the system clock (Retry-After HTTP-dates)
    SteadyClock steady;               // defaults to the real monotonic clock
    std::function<void(const std::string&)> trace;  // -v lines (never a body or token); may be empty
};

class HttpClient {
public:
    explicit HttpClient(HttpClientOptions options = {});

    // POST application/x-www-form-urlencoded / GET, with the retry policy.
    // Returns a usable answer, an OAuth error answer or a final status (see
    // HttpResponse). Throws TransportError (transient failure after the
    // retries, TLS or proxy trouble) naming the host and the cause, never the
    // body; UsageError for a bad URL or CA file.
    HttpResponse post_form(const std::string& url, const std::multimap<std::string, std::string>& form,
                           const Expect& expect, const std::map<std::string, std::string>& headers = {});
    HttpResponse get(const std::string& url, const Expect& expect,
                     const std::map<std::string, std::string>& headers = {});

private:
    HttpResponse send(const std::string& method, const std::string& url, const std::string& body,
                      const std::string& content_type, const std::map<std::string, std::string>& headers,
                      const Expect& expect);
    HttpClientOptions options_;
};

// NO_PROXY matching (comma list; leading '.', '*', host:port, CIDR-free).
bool no_proxy_matches(const std::string& no_proxy, const std::string& host, int port);

// Retry-After value (delta-seconds or HTTP-date) as milliseconds from `now`
// (epoch seconds); nullopt when unparsable. Past dates give 0.
std::optional<std::int64_t> parse_retry_after_ms(const std::string& value, std::int64_t now);

}  // namespace aks
