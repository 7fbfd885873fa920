#pragma once
// HTTPS client for identity providers, on cpp-httplib. Verified TLS always
// (system store, SSL_CERT_FILE, or --certificate-authority); HTTPS_PROXY /
// NO_PROXY honoured unless `use_proxy` is false (IMDS); bounded retries with
// exponential backoff honouring Retry-After on 429 and 5xx.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/login_args.h"

namespace aks {

struct HttpResponse {
    int status = 0;
    std::string body;
    std::string content_type;
};

struct HttpClientOptions {
    std::string ca_file;              // --certificate-authority; else SSL_CERT_FILE; else system
    bool use_proxy = true;            // false for IMDS (never through a proxy)
    int connect_timeout_seconds = 10;
    int read_timeout_seconds = 30;
    int max_attempts = 4;             // first try + retries, on 429/5xx/transport errors
    std::int64_t max_retry_after_ms = 60000;
    EnvLookup env;                    // defaults to the process environment
    Sleeper sleep;                    // defaults to real sleeping
    Clock clock;                      // defaults to the system clock (Retry-After HTTP-dates)
};

class HttpClient {
public:
    explicit HttpClient(HttpClientOptions options = {});

    // POST application/x-www-form-urlencoded. Non-2xx statuses are returned,
    // not thrown (OAuth errors arrive as 400). Throws TransportError after the
    // last attempt, naming the host and the cause, never the body.
    HttpResponse post_form(const std::string& url, const std::multimap<std::string, std::string>& form,
                           const std::map<std::string, std::string>& headers = {});
    HttpResponse get(const std::string& url, const std::map<std::string, std::string>& headers = {});

private:
    HttpResponse send(const std::string& method, const std::string& url, const std::string& body,
                      const std::string& content_type, const std::map<std::string, std::string>& headers);
    HttpClientOptions options_;
};

// NO_PROXY matching (comma list; leading '.', '*', host:port, CIDR-free).
bool no_proxy_matches(const std::string& no_proxy, const std::string& host, int port);

// Retry-After value (delta-seconds or HTTP-date) as milliseconds from `now`
// (epoch seconds); nullopt when unparsable. Past dates give 0.
std::optional<std::int64_t> parse_retry_after_ms(const std::string& value, std::int64_t now);

}  // namespace aks
