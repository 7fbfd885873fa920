#include "core/http_client.h"

#include <httplib.h>
#include <netdb.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "core/errors.h"
#include "core/proxy_env.h"
#include "core/url.h"

namespace aks {
namespace {

constexpr std::int64_t kBackoffCapMs = 30000;
constexpr std::int64_t kTimeoutStatus = 0;  // TransportError::status when no answer came

// Errors that will not go away by trying again.
bool retryable_error(httplib::Error e) {
    switch (e) {
        case httplib::Error::SSLServerVerification:
        case httplib::Error::SSLLoadingCerts:
        case httplib::Error::Canceled:
        case httplib::Error::UnsupportedMultipartBoundaryChars:
        case httplib::Error::ExceedRedirectCount:
            return false;
        default:
            return true;
    }
}

// first, 2 x first, 4 x first ... plus up to half again of random jitter, so
// that many clients failing together do not retry in lockstep.
std::int64_t backoff_ms(std::int64_t first, int attempt) {
    std::int64_t base = std::max<std::int64_t>(first, 1);
    for (int i = 1; i < attempt && base < kBackoffCapMs; ++i) base *= 2;
    base = std::min(base, kBackoffCapMs);
    thread_local std::mt19937 rng{std::random_device{}()};
    std::uniform_int_distribution<std::int64_t> jitter(0, base / 2);
    return base + jitter(rng);
}

std::string tries(int n) { return n == 1 ? "1 try" : std::to_string(n) + " tries"; }

std::string seconds_text(std::int64_t ms) { return std::to_string((ms + 999) / 1000) + "s"; }

// Stops a client whose request outlives its budget: httplib's timeouts are
// per connect and per read, so a server trickling bytes (or a proxy that
// never answers) could otherwise hold us far beyond --timeout.
// ClientImpl::stop() is the thread-safe way in: it shuts the socket down.
class Watchdog {
public:
    Watchdog(httplib::ClientImpl& client, std::int64_t ms)
        : thread_([this, &client, ms] {
              std::unique_lock<std::mutex> lock(mu_);
              if (!done_cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return done_; })) {
                  fired_ = true;
                  client.stop();
              }
          }) {}
    ~Watchdog() { finish(); }
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

    // Ends the watch; true when it had to stop the client.
    bool finish() {
        {
            std::lock_guard<std::mutex> lock(mu_);
            done_ = true;
        }
        done_cv_.notify_one();
        if (thread_.joinable()) thread_.join();
        return fired_;
    }

private:
    std::mutex mu_;
    std::condition_variable done_cv_;
    bool done_ = false;
    bool fired_ = false;
    std::thread thread_;  // last: started once the rest exists
};

std::string host_port(const std::string& host, int port) {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool resolves(const std::string& host) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* result = nullptr;
    const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &result);
    if (result) freeaddrinfo(result);
    return rc == 0;
}

struct Target {
    Url url;
    std::optional<ProxySetting> proxy;
    std::string ca_file;
    std::string ca_source;  // where ca_file came from, for messages
};

// One line naming where we tried to go and why it failed; never the body.
std::string describe_failure(const Target& t, httplib::Error err, long verify_result) {
    const std::string where = host_port(t.url.host, t.url.port);
    std::string reach = "cannot reach " + where;
    if (t.proxy) reach += " through proxy " + host_port(t.proxy->host, t.proxy->port) + " (" + t.proxy->variable + ")";
    switch (err) {
        case httplib::Error::Connection:
            if (t.proxy) return reach + ": connection to the proxy failed";
            if (!resolves(t.url.host)) return reach + ": host name not found";
            return reach + ": connection refused or network unreachable";
        case httplib::Error::ConnectionTimeout:
            return reach + ": connection timed out";
        case httplib::Error::Read:
            return reach + ": no response (connection closed or read timed out)";
        case httplib::Error::Write:
            return reach + ": sending the request failed";
        case httplib::Error::SSLServerVerification: {
            std::string msg = "TLS certificate of " + t.url.host +
                              " could not be verified (set SSL_CERT_FILE or --certificate-authority)";
            if (verify_result != X509_V_OK) msg += ": " + std::string(X509_verify_cert_error_string(verify_result));
            else msg += ": certificate does not match the host name";
            return msg;
        }
        case httplib::Error::SSLConnection:
            if (verify_result != X509_V_OK)
                return "TLS certificate of " + t.url.host +
                       " could not be verified (set SSL_CERT_FILE or --certificate-authority): " +
                       X509_verify_cert_error_string(verify_result);
            return reach + ": TLS handshake failed";
        case httplib::Error::SSLLoadingCerts:
            return "cannot load CA certificates from " + (t.ca_file.empty() ? "the system store" : t.ca_file) +
                   (t.ca_source.empty() ? "" : " (" + t.ca_source + ")");
        default:
            return reach + ": " + httplib::to_string(err);
    }
}

Target resolve_target(const std::string& url_text, const HttpClientOptions& options) {
    auto url = parse_url(url_text);
    if (!url || (url->scheme != "https" && url->scheme != "http"))
        throw UsageError("not an http(s) URL: " + url_text);
    Target t{*url, std::nullopt, {}, {}};
    if (options.use_proxy) t.proxy = proxy_for(url->scheme, url->host, url->port, options.env);
    if (url->scheme == "https") {
        if (!options.ca_file.empty()) {
            t.ca_file = options.ca_file;
            t.ca_source = "--certificate-authority";
        } else if (auto env_ca = options.env("SSL_CERT_FILE"); env_ca && !env_ca->empty()) {
            t.ca_file = *env_ca;
            t.ca_source = "SSL_CERT_FILE";
        }
        if (!t.ca_file.empty() && access(t.ca_file.c_str(), R_OK) != 0)
            throw UsageError("cannot read the CA file " + t.ca_file + " (" + t.ca_source + ")");
    }
    return t;
}

}  // namespace

std::optional<std::int64_t> parse_retry_after_ms(const std::string& value_in, std::int64_t now) {
    std::string value = value_in;
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.pop_back();
    value.erase(0, std::min(value.find_first_not_of(" \t"), value.size()));
    if (value.empty()) return std::nullopt;
    if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
        if (value.size() > 9) return std::int64_t{999999999} * 1000;
        return std::stoll(value) * 1000;
    }
    // IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
    std::tm tm{};
    const char* end = strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (!end || *end != '\0') return std::nullopt;
    const std::int64_t when = timegm(&tm);
    return std::max<std::int64_t>(0, (when - now) * 1000);
}

HttpClient::HttpClient(HttpClientOptions options) : options_(std::move(options)) {
    if (!options_.env) options_.env = process_env();
    if (!options_.sleep) options_.sleep = real_sleeper();
    if (!options_.clock) options_.clock = system_clock();
    if (!options_.steady) options_.steady = steady_clock_ms();
    if (options_.max_attempts < 1) options_.max_attempts = 1;
}

HttpResponse HttpClient::post_form(const std::string& url, const std::multimap<std::string, std::string>& form,
                                   const Expect& expect, const std::map<std::string, std::string>& headers) {
    return send("POST", url, form_encode(form), "application/x-www-form-urlencoded", headers, expect);
}

HttpResponse HttpClient::get(const std::string& url, const Expect& expect,
                             const std::map<std::string, std::string>& headers) {
    return send("GET", url, {}, {}, headers, expect);
}

HttpResponse HttpClient::send(const std::string& method, const std::string& url, const std::string& body,
                              const std::string& content_type, const std::map<std::string, std::string>& headers,
                              const Expect& expect) {
    const Target t = resolve_target(url, options_);
    const auto trace = [this](const std::string& line) {
        if (options_.trace) options_.trace(line);
    };

    httplib::Headers request_headers{
        {"User-Agent", std::string("aks-auth/") + AKS_AUTH_VERSION},
        {"Accept", "application/json"},
    };
    for (const auto& [name, value] : headers) {
        request_headers.erase(name);  // case-insensitive map: callers override defaults
        request_headers.emplace(name, value);
    }

    std::int64_t deadline = options_.steady() + options_.request_budget_ms;
    if (options_.deadline_ms > 0) deadline = std::min(deadline, options_.deadline_ms);
    const auto unavailable = [&](const std::string& problem, int attempt, int status, const std::string& why = {}) {
        return TransportError("identity provider unavailable: " + problem + " after " + tries(attempt) +
                                  (why.empty() ? "" : " (" + why + ")"),
                              status);
    };

    for (int attempt = 1;; ++attempt) {
        const std::int64_t left = deadline - options_.steady();
        if (left <= 0)  // e.g. a browser sign-in used up --timeout before its code could be redeemed
            throw TransportError("identity provider unavailable: no time left within " + options_.budget_name +
                                     " to reach " + host_port(t.url.host, t.url.port) +
                                     (attempt > 1 ? " (" + tries(attempt - 1) + ")" : std::string()),
                                 kTimeoutStatus);
        // A fresh client per attempt: no connection reuse across retries.
        std::unique_ptr<httplib::ClientImpl> client;
        httplib::SSLClient* tls = nullptr;
        if (t.url.scheme == "https") {
            auto c = std::make_unique<httplib::SSLClient>(t.url.host, t.url.port);
            c->enable_server_certificate_verification(true);
            if (!t.ca_file.empty()) c->set_ca_cert_path(t.ca_file);
            tls = c.get();
            client = std::move(c);
        } else {
            client = std::make_unique<httplib::ClientImpl>(t.url.host, t.url.port);
        }
        // Every wait is also bounded by what is left of the budget.
        const auto bounded = [left](int seconds) { return std::min<std::int64_t>(seconds * 1000LL, left); };
        const std::int64_t connect_ms = bounded(options_.connect_timeout_seconds);
        const std::int64_t read_ms = bounded(options_.read_timeout_seconds);
        client->set_connection_timeout(connect_ms / 1000, (connect_ms % 1000) * 1000);
        client->set_read_timeout(read_ms / 1000, (read_ms % 1000) * 1000);
        client->set_write_timeout(read_ms / 1000, (read_ms % 1000) * 1000);
        client->set_url_encode(false);  // parse_url's path is already encoded
        client->set_follow_location(false);
        if (t.proxy) {
            client->set_proxy(t.proxy->host, t.proxy->port);
            if (!t.proxy->username.empty()) client->set_proxy_basic_auth(t.proxy->username, t.proxy->password);
        }

        httplib::Result result{nullptr, httplib::Error::Unknown};
        bool stopped = false;
        {
            Watchdog watchdog(*client, left);
            result = method == "POST" ? client->Post(t.url.path, request_headers, body, content_type)
                                      : client->Get(t.url.path, request_headers);
            stopped = watchdog.finish();
        }

        std::string problem;
        int status = kTimeoutStatus;
        std::optional<std::int64_t> retry_after;
        if (stopped || (!result && options_.steady() >= deadline)) {
            throw TransportError("identity provider unavailable: no answer from " +
                                     host_port(t.url.host, t.url.port) + " within " + options_.budget_name + " (" +
                                     tries(attempt) + ")",
                                 kTimeoutStatus);
        }
        if (!result) {
            const auto err = result.error();
            const std::string failure = describe_failure(t, err, tls ? tls->get_openssl_verify_result() : X509_V_OK);
            if (!retryable_error(err)) throw TransportError(failure);
            problem = failure;
        } else {
            // A proxy asking for credentials is not the identity provider talking
            // (cpp-httplib hands back a refused CONNECT as a 407 response).
            if (t.proxy && result->status == 407)
                throw TransportError("proxy " + host_port(t.proxy->host, t.proxy->port) + " (" + t.proxy->variable +
                                         ") refused the request: proxy authentication required (HTTP 407); put "
                                         "user:password in the proxy URL",
                                     407);
            const std::string type = result->get_header_value("Content-Type");
            AnswerVerdict verdict = classify_answer(result->status, type, result->body, expect);
            if (verdict.kind != AnswerKind::transient) {
                HttpResponse response;
                response.status = result->status;
                response.body = std::move(result->body);
                response.content_type = type;
                if (verdict.kind == AnswerKind::oauth_error) response.error = std::move(verdict.error);
                return response;
            }
            status = result->status;
            problem = "HTTP " + std::to_string(status) + " from " + t.url.host +
                      (verdict.detail.empty() ? "" : " (" + verdict.detail + ")");
            if (result->has_header("Retry-After"))
                retry_after = parse_retry_after_ms(result->get_header_value("Retry-After"), options_.clock());
        }

        if (attempt >= options_.max_attempts) throw unavailable(problem, attempt, status);
        if (retry_after && *retry_after > options_.max_retry_after_ms)
            throw unavailable(problem, attempt, status, "it asks to retry after " + seconds_text(*retry_after));
        const std::int64_t delay = retry_after ? *retry_after : backoff_ms(options_.first_backoff_ms, attempt);
        if (options_.steady() + delay >= deadline)
            throw unavailable(problem, attempt, status,
                              (retry_after ? "it asks to retry after " + seconds_text(delay) + ", beyond "
                                           : std::string("no time left for another within ")) +
                                  options_.budget_name);
        trace(problem + "; trying again in " + std::to_string(delay) + " ms" +
              (retry_after ? " (Retry-After)" : ""));
        options_.sleep(delay);
    }
}

}  // namespace aks
