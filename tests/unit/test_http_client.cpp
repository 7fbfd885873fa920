#include "core/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <catch2/catch.hpp>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "core/errors.h"
#include "tests/unit/loopback_server.h"
#include "tests/unit/env_map.h"

using aks_test::env_of;

using aks::HttpClient;
using aks::HttpClientOptions;
using aks_test::LoopbackServer;

namespace {

struct RecordingSleeper {
    std::shared_ptr<std::vector<std::int64_t>> calls = std::make_shared<std::vector<std::int64_t>>();
    aks::Sleeper fn() {
        auto c = calls;
        return [c](std::int64_t ms) { c->push_back(ms); };
    }
};

HttpClientOptions test_options(const RecordingSleeper& sleeper, std::map<std::string, std::string> env = {}) {
    HttpClientOptions o;
    o.env = env_of(std::move(env));
    o.sleep = RecordingSleeper(sleeper).fn();
    o.clock = [] { return std::int64_t{1700000000}; };
    o.connect_timeout_seconds = 5;
    o.read_timeout_seconds = 5;
    return o;
}

// Requests that take any JSON object as usable (what most tests here need).
aks::HttpResponse post(HttpClient& http, const std::string& url, const std::multimap<std::string, std::string>& form,
                       const aks::Expect& expect = {}) {
    return http.post_form(url, form, expect);
}
aks::HttpResponse get(HttpClient& http, const std::string& url, const std::map<std::string, std::string>& headers = {}) {
    return http.get(url, aks::Expect{}, headers);
}

// A TCP socket bound to an ephemeral loopback port; sets `port`.
int bound_loopback_socket(int& port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0);
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port = ntohs(addr.sin_port);
    return fd;
}

// A port with nothing listening: bind an ephemeral port, then close it.
int closed_port() {
    int port = 0;
    ::close(bound_loopback_socket(port));
    return port;
}

}  // namespace

TEST_CASE("Retry-After accepts delta-seconds and HTTP-dates", "[http_client]") {
    const std::int64_t date = 1445412480;  // Wed, 21 Oct 2015 07:28:00 GMT
    CHECK(aks::parse_retry_after_ms("3", 0) == 3000);
    CHECK(aks::parse_retry_after_ms(" 0 ", 0) == 0);
    CHECK(aks::parse_retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", date - 7) == 7000);
    CHECK(aks::parse_retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", date + 100) == 0);
    CHECK_FALSE(aks::parse_retry_after_ms("soon", 0));
    CHECK_FALSE(aks::parse_retry_after_ms("", 0));
    CHECK_FALSE(aks::parse_retry_after_ms("-5", 0));
}

TEST_CASE("NO_PROXY matching", "[http_client]") {
    struct Row {
        const char* no_proxy;
        const char* host;
        int port;
        bool match;
    };
    const Row rows[] = {
        {"", "login.microsoftonline.com", 443, false},
        {"*", "login.microsoftonline.com", 443, true},
        {"login.microsoftonline.com", "login.microsoftonline.com", 443, true},
        {"LOGIN.microsoftonline.com", "login.MicrosoftOnline.com", 443, true},
        {"microsoftonline.com", "login.microsoftonline.com", 443, true},
        {".microsoftonline.com", "login.microsoftonline.com", 443, true},
        {".microsoftonline.com", "microsoftonline.com", 443, true},
        {"*.microsoftonline.com", "login.microsoftonline.com", 443, true},
        {"online.com", "login.microsoftonline.com", 443, false},
        {"example.com, login.microsoftonline.com", "login.microsoftonline.com", 443, true},
        {"example.com,,other.org", "login.microsoftonline.com", 443, false},
        {"login.microsoftonline.com:443", "login.microsoftonline.com", 443, true},
        {"login.microsoftonline.com:8443", "login.microsoftonline.com", 443, false},
        {"127.0.0.1", "127.0.0.1", 8080, true},
        {"0.0.1", "127.0.0.1", 8080, false},
        {"localhost", "127.0.0.1", 8080, false},  // loopback is not implied
        {"example.com", "127.0.0.1", 8080, false},
        {"[::1]", "::1", 80, true},
        {"[::1]:80", "::1", 80, true},
        {"[::1]:81", "::1", 80, false},
        {"::1", "::1", 80, true},
        {"169.254.169.254", "169.254.169.254", 80, true},
        {"example.com.", "example.com", 443, true},
    };
    for (const auto& r : rows) {
        INFO("NO_PROXY=" << r.no_proxy << " host=" << r.host << ":" << r.port);
        CHECK(aks::no_proxy_matches(r.no_proxy, r.host, r.port) == r.match);
    }
}

TEST_CASE("POST sends the form, User-Agent and Accept", "[http_client]") {
    LoopbackServer srv;
    std::mutex m;
    httplib::Request seen;
    srv.server().Post("/token", [&](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard<std::mutex> g(m);
        seen = req;
        res.set_content(R"({"ok":true})", "application/json");
    });
    srv.start();
    RecordingSleeper sleeper;
    HttpClient http(test_options(sleeper));
    auto r = post(http, srv.base_url() + "/token", {{"grant_type", "refresh_token"}, {"scope", "a b/.default"}});
    CHECK(r.status == 200);
    CHECK(r.body == R"({"ok":true})");
    CHECK(r.content_type == "application/json");
    std::lock_guard<std::mutex> g(m);
    CHECK(seen.get_header_value("User-Agent") == std::string("aks-auth/") + AKS_AUTH_VERSION);
    CHECK(seen.get_header_value("Accept") == "application/json");
    CHECK(seen.get_header_value("Content-Type") == "application/x-www-form-urlencoded");
    CHECK(seen.get_param_value("grant_type") == "refresh_token");
    CHECK(seen.get_param_value("scope") == "a b/.default");
    CHECK(sleeper.calls->empty());
}

TEST_CASE("GET passes extra headers and keeps the query", "[http_client]") {
    LoopbackServer srv;
    std::mutex m;
    std::string metadata, resource;
    srv.server().Get("/metadata/identity/oauth2/token", [&](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard<std::mutex> g(m);
        metadata = req.get_header_value("Metadata");
        resource = req.get_param_value("resource");
        res.set_content("{}", "application/json");
    });
    srv.start();
    RecordingSleeper sleeper;
    HttpClient http(test_options(sleeper));
    auto r = get(http, srv.base_url() + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=abc",
                      {{"Metadata", "true"}});
    CHECK(r.status == 200);
    std::lock_guard<std::mutex> g(m);
    CHECK(metadata == "true");
    CHECK(resource == "abc");
}

TEST_CASE("429 with Retry-After is retried after the requested delay", "[http_client]") {
    LoopbackServer srv;
    std::atomic<int> count{0};
    srv.server().Post("/token", [&](const httplib::Request&, httplib::Response& res) {
        if (count++ == 0) {
            res.status = 429;
            res.set_header("Retry-After", "2");
            res.set_content(R"({"error":"too_many_requests"})", "application/json");
            return;
        }
        res.set_content(R"({"ok":1})", "application/json");
    });
    srv.start();
    RecordingSleeper sleeper;
    HttpClient http(test_options(sleeper));
    auto r = post(http, srv.base_url() + "/token", {{"a", "b"}});
    CHECK(r.status == 200);
    CHECK(count == 2);
    CHECK(*sleeper.calls == std::vector<std::int64_t>{2000});
}

TEST_CASE("Retry-After HTTP-date uses the injected clock; one beyond the cap ends the retries", "[http_client]") {
    LoopbackServer srv;
    std::atomic<int> count{0};
    srv.server().Get("/x", [&](const httplib::Request&, httplib::Response& res) {
        const int n = count++;
        if (n == 0) {
            res.status = 503;
            res.set_header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT");
        } else {
            res.status = 503;
            res.set_header("Retry-After", "3600");
        }
    });
    srv.start();
    RecordingSleeper sleeper;
    auto options = test_options(sleeper);
    options.clock = [] { return std::int64_t{1445412480 - 7}; };
    options.max_retry_after_ms = 60000;
    HttpClient http(options);
    // azcore's rule: a Retry-After longer than the cap is not waited for.
    CHECK_THROWS_WITH(get(http, srv.base_url() + "/x"),
                      "identity provider unavailable: HTTP 503 from 127.0.0.1 after 2 tries (it asks to retry after "
                      "3600s)");
    CHECK(*sleeper.calls == std::vector<std::int64_t>{7000});
    CHECK(count == 2);
}

TEST_CASE("503 on every attempt: exponential backoff with jitter, then unavailable", "[http_client]") {
    LoopbackServer srv;
    std::atomic<int> count{0};
    srv.server().Post("/token", [&](const httplib::Request&, httplib::Response& res) {
        ++count;
        res.status = 503;
        res.set_content(R"({"error":"temporarily_unavailable","error_codes":[90033]})", "application/json");
    });
    srv.start();
    RecordingSleeper sleeper;
    auto options = test_options(sleeper);
    options.max_attempts = 4;
    HttpClient http(options);
    try {
        post(http, srv.base_url() + "/token", {{"a", "b"}});
        FAIL("expected TransportError");
    } catch (const aks::TransportError& e) {
        CHECK(std::string(e.what()) ==
              "identity provider unavailable: HTTP 503 from 127.0.0.1 (AADSTS90033) after 4 tries");
        CHECK(e.status == 503);
    }
    CHECK(count == 4);
    REQUIRE(sleeper.calls->size() == 3);
    const auto& d = *sleeper.calls;
    CHECK((d[0] >= 500 && d[0] <= 750));
    CHECK((d[1] >= 1000 && d[1] <= 1500));
    CHECK((d[2] >= 2000 && d[2] <= 3000));
}

TEST_CASE("answers that are not the expected JSON are transient", "[http_client]") {
    struct Case {
        int status;
        const char* type;
        const char* body;
        const char* message;
    };
    const Case cases[] = {
        {502, "text/html", "<html><body>Bad Gateway</body></html>",
         "HTTP 502 from 127.0.0.1 after 3 tries"},
        {403, "text/html", "<html><body>Access denied by proxy</body></html>",
         "HTTP 403 from 127.0.0.1 (an HTML page, not an OAuth answer: a proxy or captive portal?) after 3 tries"},
        {200, "text/html", "<!DOCTYPE html><title>Hotel Wi-Fi</title>",
         "HTTP 200 from 127.0.0.1 (an HTML page, not the expected JSON: a proxy or captive portal?) after 3 tries"},
        {200, "application/json", R"({"token_type":"Bearer","access_tok)",
         "HTTP 200 from 127.0.0.1 (not JSON: truncated or garbage) after 3 tries"},
        {200, "application/json", R"({"token_type":"Bearer"})",
         "HTTP 200 from 127.0.0.1 (token response has no access_token) after 3 tries"},
        {404, "text/plain", "not found", "HTTP 404 from 127.0.0.1 (not an OAuth answer) after 3 tries"},
        {400, "application/json", R"({"error":"temporarily_unavailable"})", "HTTP 400 from 127.0.0.1 after 3 tries"},
    };
    for (const Case& c : cases) {
        INFO(c.status << " " << c.body);
        LoopbackServer srv;
        std::atomic<int> count{0};
        srv.server().Post("/token", [&](const httplib::Request&, httplib::Response& res) {
            ++count;
            res.status = c.status;
            res.set_content(c.body, c.type);
        });
        srv.start();
        RecordingSleeper sleeper;
        HttpClient http(test_options(sleeper));
        CHECK_THROWS_WITH(post(http, srv.base_url() + "/token", {}, aks::expect_token_response()),
                          std::string("identity provider unavailable: ") + c.message);
        CHECK(count == 3);
        CHECK(sleeper.calls->size() == 2);
    }
}

TEST_CASE("OAuth errors and final statuses come back at once", "[http_client]") {
    LoopbackServer srv;
    std::atomic<int> count{0};
    srv.server().Post("/bad", [&](const httplib::Request&, httplib::Response& res) {
        ++count;
        res.status = 400;
        res.set_content(R"({"error":"invalid_grant","error_codes":[700082]})", "application/json");
    });
    srv.server().Post("/gone", [&](const httplib::Request&, httplib::Response& res) {
        ++count;
        res.status = 404;
    });
    srv.start();
    RecordingSleeper sleeper;
    HttpClient http(test_options(sleeper));
    const auto bad = post(http, srv.base_url() + "/bad", {});
    CHECK(bad.status == 400);
    REQUIRE(bad.error);
    CHECK(bad.error->error == "invalid_grant");
    aks::Expect not_found;
    not_found.final_statuses = {404};
    const auto gone = post(http, srv.base_url() + "/gone", {}, not_found);
    CHECK(gone.status == 404);
    CHECK_FALSE(gone.error);
    CHECK(count == 2);
    CHECK(sleeper.calls->empty());
}

TEST_CASE("a server that accepts and never answers costs the time budget, not the read timeout", "[http_client]") {
    // A listening socket nobody accepts from: connects succeed, nothing ever answers.
    int port = 0;
    const int fd = bound_loopback_socket(port);
    REQUIRE(::listen(fd, 8) == 0);
    RecordingSleeper sleeper;
    auto options = test_options(sleeper);
    options.read_timeout_seconds = 30;
    options.request_budget_ms = 300;
    options.budget_name = "--timeout 0.3s";
    HttpClient http(options);
    const auto start = std::chrono::steady_clock::now();
    CHECK_THROWS_WITH(post(http, "http://127.0.0.1:" + std::to_string(port) + "/token", {}),
                      Catch::StartsWith("identity provider unavailable: no answer from 127.0.0.1:") &&
                          Catch::EndsWith("within --timeout 0.3s (1 try)"));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
    ::close(fd);
}

TEST_CASE("the deadline ends the retries early", "[http_client]") {
    LoopbackServer srv;
    std::atomic<int> count{0};
    srv.server().Post("/token", [&](const httplib::Request&, httplib::Response& res) {
        ++count;
        res.status = 503;
    });
    srv.start();
    RecordingSleeper sleeper;
    auto options = test_options(sleeper);
    std::int64_t now_ms = 1000;
    options.steady = [&now_ms] { return now_ms; };
    options.deadline_ms = 1400;  // less than the first backoff (>= 500 ms)
    options.budget_name = "--timeout 1s";
    HttpClient http(options);
    CHECK_THROWS_WITH(post(http, srv.base_url() + "/token", {}),
                      "identity provider unavailable: HTTP 503 from 127.0.0.1 after 1 try (no time left for another "
                      "within --timeout 1s)");
    CHECK(count == 1);
    CHECK(sleeper.calls->empty());
}

TEST_CASE("a closed port is a TransportError naming host and cause, never the body", "[http_client]") {
    const int port = closed_port();
    RecordingSleeper sleeper;
    HttpClient http(test_options(sleeper));
    try {
        post(http, "http://127.0.0.1:" + std::to_string(port) + "/token", {{"refresh_token", "rt-secret-value"}});
        FAIL("expected TransportError");
    } catch (const aks::TransportError& e) {
        const std::string msg = e.what();
        CHECK(msg == "identity provider unavailable: cannot reach 127.0.0.1:" + std::to_string(port) +
                         ": connection refused or network unreachable after 3 tries");
        CHECK(msg.find("rt-secret-value") == std::string::npos);
    }
    CHECK(sleeper.calls->size() == 2);  // three tries, then gave up
}

TEST_CASE("http requests go through HTTP_PROXY with basic auth unless NO_PROXY matches", "[http_client]") {
    LoopbackServer target;
    std::atomic<int> direct{0};
    target.server().Post("/token", [&](const httplib::Request&, httplib::Response& res) {
        ++direct;
        res.set_content(R"({"via":"direct"})", "application/json");
    });
    target.start();

    // A minimal forward proxy: records the absolute-form request target and
    // answers itself (forwarding is not what is under test).
    LoopbackServer proxy;
    std::mutex m;
    std::vector<std::string> targets, auths;
    proxy.server().Post(".*", [&](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard<std::mutex> g(m);
        targets.push_back(req.path);
        auths.push_back(req.get_header_value("Proxy-Authorization"));
        res.set_content(R"({"via":"proxy"})", "application/json");
    });
    proxy.start();

    const std::string proxy_url = "http://user:p%40ss@127.0.0.1:" + std::to_string(proxy.port());
    const std::string url = target.base_url() + "/token";
    RecordingSleeper sleeper;

    SECTION("proxied") {
        HttpClient http(test_options(sleeper, {{"HTTP_PROXY", proxy_url}}));
        CHECK(post(http, url, {{"a", "b"}}).body == R"({"via":"proxy"})");
        std::lock_guard<std::mutex> g(m);
        REQUIRE(targets.size() == 1);
        CHECK(targets[0] == url);
        CHECK(auths[0] == "Basic dXNlcjpwQHNz");  // user:p@ss
        CHECK(direct == 0);
    }
    SECTION("lowercase http_proxy without scheme or credentials") {
        HttpClient http(test_options(sleeper, {{"http_proxy", "127.0.0.1:" + std::to_string(proxy.port())}}));
        CHECK(post(http, url, {}).body == R"({"via":"proxy"})");
        std::lock_guard<std::mutex> g(m);
        REQUIRE(auths.size() == 1);
        CHECK(auths[0].empty());
    }
    SECTION("NO_PROXY excludes the host") {
        HttpClient http(test_options(sleeper, {{"HTTP_PROXY", proxy_url}, {"no_proxy", "example.com,127.0.0.1"}}));
        CHECK(post(http, url, {}).body == R"({"via":"direct"})");
        CHECK(direct == 1);
    }
    SECTION("use_proxy=false (IMDS) ignores the proxy") {
        auto options = test_options(sleeper, {{"HTTP_PROXY", proxy_url}});
        options.use_proxy = false;
        HttpClient http(options);
        CHECK(post(http, url, {}).body == R"({"via":"direct"})");
    }
    SECTION("HTTPS_PROXY does not apply to http URLs") {
        HttpClient http(test_options(sleeper, {{"HTTPS_PROXY", proxy_url}}));
        CHECK(post(http, url, {}).body == R"({"via":"direct"})");
    }
    std::lock_guard<std::mutex> g(m);
    CHECK(targets.size() + static_cast<std::size_t>(direct) == 1);
}

TEST_CASE("a proxy that wants credentials is a TransportError naming the proxy", "[http_client]") {
    LoopbackServer proxy;
    proxy.server().Post(".*", [](const httplib::Request&, httplib::Response& res) {
        res.status = 407;
        res.set_header("Proxy-Authenticate", "Basic realm=\"corp\"");
    });
    proxy.start();
    RecordingSleeper sleeper;
    HttpClient http(test_options(sleeper, {{"HTTP_PROXY", "http://u:hunter2@127.0.0.1:" + std::to_string(proxy.port())}}));
    try {
        post(http, "http://127.0.0.1:9/token", {});
        FAIL("expected TransportError");
    } catch (const aks::TransportError& e) {
        const std::string msg = e.what();
        CHECK(msg.rfind("proxy 127.0.0.1:" + std::to_string(proxy.port()) + " (HTTP_PROXY) refused the request", 0) == 0);
        CHECK(msg.find("hunter2") == std::string::npos);
    }
}

TEST_CASE("a malformed proxy URL is a UsageError that hides the password", "[http_client]") {
    RecordingSleeper sleeper;
    for (const std::string value : {"http://user:hunter2@proxy:notaport", "socks5://user:hunter2@proxy:1080",
                                    "http://user:hunter2@[::1"}) {
        HttpClient http(test_options(sleeper, {{"HTTPS_PROXY", value}}));
        try {
            get(http, "https://login.microsoftonline.com/x");
            FAIL("expected UsageError for " << value);
        } catch (const aks::UsageError& e) {
            const std::string msg = e.what();
            CHECK(msg.find("HTTPS_PROXY") != std::string::npos);
            CHECK(msg.find("hunter2") == std::string::npos);
        }
    }
}

// ---- TLS: a self-signed certificate for 127.0.0.1, made in memory ----

namespace {

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
    void operator()(X509* p) const { X509_free(p); }
};
struct ExtFree {
    void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
struct FileClose {
    void operator()(FILE* f) const { std::fclose(f); }
};

struct SelfSigned {
    std::unique_ptr<EVP_PKEY, PkeyFree> key;
    std::unique_ptr<X509, X509Free> cert;
};

SelfSigned make_self_signed(const char* san) {
    SelfSigned s;
    s.key.reset(EVP_EC_gen("P-256"));
    REQUIRE(s.key);
    s.cert.reset(X509_new());
    X509* c = s.cert.get();
    X509_set_version(c, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(c), 1);
    X509_gmtime_adj(X509_getm_notBefore(c), -3600);
    X509_gmtime_adj(X509_getm_notAfter(c), 3600);
    X509_NAME* name = X509_get_subject_name(c);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("aks-test"), -1, -1,
                               0);
    X509_set_issuer_name(c, name);
    X509_set_pubkey(c, s.key.get());
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, c, c, nullptr, nullptr, 0);
    for (auto [nid, value] : {std::pair<int, const char*>{NID_subject_alt_name, san},
                              std::pair<int, const char*>{NID_basic_constraints, "critical,CA:TRUE"}}) {
        std::unique_ptr<X509_EXTENSION, ExtFree> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
        REQUIRE(ext);
        X509_add_ext(c, ext.get(), -1);
    }
    REQUIRE(X509_sign(c, s.key.get(), EVP_sha256()) > 0);
    return s;
}

struct TempFile {
    std::string path;
    TempFile() {
        char tmpl[] = "/tmp/aks-test-ca-XXXXXX";
        const int fd = mkstemp(tmpl);
        REQUIRE(fd >= 0);
        ::close(fd);
        path = tmpl;
    }
    ~TempFile() { ::unlink(path.c_str()); }
};

}  // namespace

TEST_CASE("https verifies the server certificate", "[http_client][tls]") {
    const SelfSigned good = make_self_signed("IP:127.0.0.1");
    auto tls_server = std::make_unique<httplib::SSLServer>(good.cert.get(), good.key.get());
    REQUIRE(tls_server->is_valid());
    LoopbackServer srv(std::move(tls_server));
    srv.server().Get("/x", [](const httplib::Request&, httplib::Response& res) { res.set_content("{}", "application/json"); });
    srv.start();
    const std::string url = srv.base_url("https") + "/x";

    TempFile ca;
    {
        std::unique_ptr<FILE, FileClose> f(std::fopen(ca.path.c_str(), "w"));
        REQUIRE(f);
        PEM_write_X509(f.get(), good.cert.get());
    }

    RecordingSleeper sleeper;
    SECTION("unknown issuer is refused, without retrying") {
        // Trust only an unrelated certificate so the outcome does not depend
        // on the machine's store.
        const SelfSigned unrelated = make_self_signed("IP:127.0.0.1");
        TempFile wrong;
        {
            std::unique_ptr<FILE, FileClose> f(std::fopen(wrong.path.c_str(), "w"));
            REQUIRE(f);
            PEM_write_X509(f.get(), unrelated.cert.get());
        }
        HttpClient http(test_options(sleeper, {{"SSL_CERT_FILE", wrong.path}}));
        try {
            get(http, url);
            FAIL("expected TransportError");
        } catch (const aks::TransportError& e) {
            const std::string msg = e.what();
            INFO(msg);
            const std::string prefix =
                "TLS certificate of 127.0.0.1 could not be verified (set SSL_CERT_FILE or --certificate-authority)";
            CHECK(msg.rfind(prefix, 0) == 0);
        }
        CHECK(sleeper.calls->empty());
    }
    SECTION("--certificate-authority") {
        auto options = test_options(sleeper);
        options.ca_file = ca.path;
        HttpClient http(options);
        CHECK(get(http, url).status == 200);
    }
    SECTION("SSL_CERT_FILE") {
        HttpClient http(test_options(sleeper, {{"SSL_CERT_FILE", ca.path}}));
        CHECK(get(http, url).status == 200);
    }
    SECTION("an unreadable CA file is a UsageError") {
        auto options = test_options(sleeper);
        options.ca_file = ca.path + ".missing";
        HttpClient http(options);
        CHECK_THROWS_AS(get(http, url), aks::UsageError);
    }
}

TEST_CASE("https rejects a trusted certificate for another host", "[http_client][tls]") {
    const SelfSigned other = make_self_signed("DNS:example.com");
    auto tls_server = std::make_unique<httplib::SSLServer>(other.cert.get(), other.key.get());
    REQUIRE(tls_server->is_valid());
    LoopbackServer srv(std::move(tls_server));
    srv.server().Get("/x", [](const httplib::Request&, httplib::Response& res) { res.set_content("{}", "application/json"); });
    srv.start();
    TempFile ca;
    {
        std::unique_ptr<FILE, FileClose> f(std::fopen(ca.path.c_str(), "w"));
        REQUIRE(f);
        PEM_write_X509(f.get(), other.cert.get());
    }
    RecordingSleeper sleeper;
    auto options = test_options(sleeper);
    options.ca_file = ca.path;
    HttpClient http(options);
    CHECK_THROWS_WITH(get(http, srv.base_url("https") + "/x"),
                      Catch::StartsWith("TLS certificate of 127.0.0.1 could not be verified"));
}
