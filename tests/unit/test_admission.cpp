#include <catch2/catch.hpp>

#include <boost/beast/http/parser.hpp>

#include <memory>
#include <optional>
#include <string>

#include "local-proxy/admission.h"
#include "local-proxy/upstream.h"

namespace proxy = aks::proxy;
namespace http = proxy::http;

namespace {

class FixedToken : public proxy::BearerSource {
public:
    explicit FixedToken(bool have) : have_(have) {}
    std::shared_ptr<const std::string> authorization() const override {
        return have_ ? std::make_shared<const std::string>("Bearer t0ken") : nullptr;
    }
    std::string missing_token_message() const override { return "run aks-token login"; }

private:
    bool have_;
};

struct Harness {
    explicit Harness(bool have_token = true, proxy::FilterSpec spec = {})
        : filter(spec), tokens(have_token), ctx(upstream, filter, tokens, proxy::AccessLog(false)) {}
    proxy::Upstream upstream;
    proxy::RequestFilter filter;
    FixedToken tokens;
    proxy::ProxyContext ctx;

    // Status of the local answer (0: forwarded) and whether the connection stays open.
    std::pair<int, bool> admit(const std::string& head) {
        http::request_parser<http::buffer_body> p;
        boost::beast::error_code ec;
        p.put(boost::asio::buffer(head), ec);
        REQUIRE_FALSE(ec);
        REQUIRE(p.is_header_done());
        proxy::Admission a = proxy::admit_request(p.get(), p.is_done(), ctx);
        if (!a.reply) {
            CHECK(*a.authorization == "Bearer t0ken");
            return {0, true};
        }
        return {a.reply->result_int(), a.reply->keep_alive()};
    }
};

}  // namespace

TEST_CASE("admit_request: each check, its answer, and whether the connection stays", "[admission]") {
    Harness h;
    struct Row {
        const char* head;
        int status;
        bool keep_alive;
    } rows[] = {
        {"GET /api/v1/pods HTTP/1.1\r\nHost: 127.0.0.1:8001\r\n\r\n", 0, true},
        {"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n", 200, true},
        // Target forms a reverse proxy does not serve.
        {"CONNECT kubernetes:443 HTTP/1.1\r\nHost: kubernetes:443\r\n\r\n", 405, false},
        {"GET http://127.0.0.1/api HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400, false},
        {"OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400, false},
        // Framing: every 400 closes.
        {"POST /api HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive, Content-Length\r\nContent-Length: 3\r\n\r\n",
         400, false},
        {"POST /api HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: xchunked\r\n\r\n", 400, false},
        {"POST /api HTTP/1.0\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n", 400, false},
        {"GET /api HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n", 400, false},
        {"GET /api HTTP/1.1\r\n\r\n", 400, false},
        // Host and Origin: refused, the connection may go on.
        {"GET /api HTTP/1.1\r\nHost: evil.example\r\n\r\n", 403, true},
        {"GET /api HTTP/1.1\r\nHost: 127.0.0.1:8001\r\nOrigin: http://evil.example\r\n\r\n", 403, true},
        {"GET /api HTTP/1.1\r\nHost: 127.0.0.1:8001\r\nOrigin: http://127.0.0.1:8001\r\n\r\n", 0, true},
        {"GET /api HTTP/1.1\r\nHost: 127.0.0.1:8001\r\nOrigin: http://127.0.0.1:8001\r\nOrigin: http://evil\r\n\r\n",
         403, true},
        // Sec-Fetch-Site (F3): only same-origin, none or no field; refused before /healthz and the filters.
        {"GET /api HTTP/1.1\r\nHost: 127.0.0.1:8001\r\nSec-Fetch-Site: cross-site\r\n\r\n", 403, true},
        {"GET /api HTTP/1.1\r\nHost: 127.0.0.1:8001\r\nSec-Fetch-Site: same-site\r\n\r\n", 403, true},
        {"GET /api HTTP/1.1\r\nHost: 127.0.0.1:8001\r\nSec-Fetch-Site: same-origin\r\n\r\n", 0, true},
        {"GET /api HTTP/1.1\r\nHost: 127.0.0.1:8001\r\nsec-fetch-site:  none \r\n\r\n", 0, true},
        {"GET /api HTTP/1.1\r\nHost: 127.0.0.1:8001\r\nSec-Fetch-Site: none\r\nSec-Fetch-Site: none\r\n\r\n", 403,
         true},
        {"GET /api HTTP/1.1\r\nHost: 127.0.0.1:8001\r\nSec-Fetch-Site: Cross-Site\r\n\r\n", 403, true},
        {"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:8001\r\nSec-Fetch-Site: cross-site\r\n\r\n", 403, true},
        {"GET /api/v1/namespaces/d/pods/p/exec HTTP/1.1\r\nHost: 127.0.0.1\r\nSec-Fetch-Site: same-site\r\n\r\n", 403,
         true},
        {"POST /api HTTP/1.1\r\nHost: 127.0.0.1\r\nSec-Fetch-Site: cross-site\r\nContent-Length: 2\r\n\r\n", 403,
         false},
        // Paths: not canonical → 400 before the filters; the filters → 403.
        {"GET //api/v1/namespaces/default/pods/web-0//exec HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400, false},
        {"GET /api/v1/namespaces/d/pods/p%2Fexec HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400, false},
        {"GET /api/v1/namespaces/d/pods/p/ex%65c HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 403, true},
        {"POST /api/v1/namespaces/d/pods/p/attach HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 403, true},
        // A refusal with a body left unread closes; so does Connection: close.
        {"POST /api/v1/namespaces/d/pods/p/exec HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\n\r\n", 403, false},
        {"GET /api HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n", 403, false},
    };
    for (const Row& r : rows) {
        INFO(r.head);
        const auto [status, keep] = h.admit(r.head);
        CHECK(status == r.status);
        CHECK(keep == r.keep_alive);
    }
}

TEST_CASE("admit_request: no token is a 401 naming the command", "[admission]") {
    Harness h(false);
    CHECK(h.admit("GET /api HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") == std::pair<int, bool>{401, true});
}

TEST_CASE("admit_request: --reject-methods and --accept-paths", "[admission]") {
    proxy::FilterSpec spec;
    spec.reject_methods = "^DELETE$";
    spec.accept_paths = "^/api/v1/namespaces/default/";
    Harness h(true, spec);
    CHECK(h.admit("DELETE /api/v1/namespaces/default/pods/p HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").first == 403);
    CHECK(h.admit("GET /api/v1/namespaces/kube-system/secrets HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").first == 403);
    CHECK(h.admit("GET /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").first == 0);
}

TEST_CASE("admit_request: Headlamp mode asks for the session cookie before the path rules", "[admission]") {
    Harness h;
    h.ctx.launch.emplace("s3cret", 8000);
    CHECK(h.admit("GET /c/main HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n\r\n").first == 401);
    CHECK(h.admit("GET //x HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n\r\n").first == 401);
    CHECK(h.admit("GET /.aks-proxy/launch?secret=s3cret HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n\r\n").first == 200);
    CHECK(h.admit("GET /c/main HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nCookie: aks-proxy-8000=s3cret\r\n\r\n").first == 0);
    CHECK(h.admit("GET //x HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nCookie: aks-proxy-8000=s3cret\r\n\r\n").first == 400);
}

TEST_CASE("admit_request: Headlamp mode refuses same-site pages even with the cookie; the launch may come from a file",
          "[admission]") {
    Harness h;
    h.ctx.launch.emplace("s3cret", 8000);
    const std::string cookie = "Cookie: aks-proxy-8000=s3cret\r\n";
    // The launch file is a file:// page: Chromium marks its navigation cross-site.
    CHECK(h.admit("GET /.aks-proxy/launch?secret=s3cret HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n"
                  "Sec-Fetch-Site: cross-site\r\n\r\n")
              .first == 200);
    CHECK(h.admit("GET /.aks-proxy/launch?secret=wrong HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n"
                  "Sec-Fetch-Site: cross-site\r\n\r\n")
              .first == 401);
    CHECK(h.admit("POST /.aks-proxy/launch?secret=s3cret HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n"
                  "Sec-Fetch-Site: cross-site\r\n\r\n")
              .first == 401);
    // The landing page moves on by itself (same-origin); Headlamp's page and its sockets are same-origin.
    CHECK(h.admit("GET / HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nSec-Fetch-Site: same-origin\r\n" + cookie + "\r\n").first ==
          0);
    CHECK(h.admit("GET / HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nSec-Fetch-Site: none\r\n" + cookie + "\r\n").first == 0);
    // Another port of the same host sends the SameSite=Strict cookie along: refused all the same.
    CHECK(h.admit("GET /clusters/main/api/v1/secrets HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nSec-Fetch-Site: same-site\r\n" +
                  cookie + "\r\n")
              .first == 403);
    CHECK(h.admit("GET /launch.aks-proxy HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nSec-Fetch-Site: cross-site\r\n\r\n").first ==
          403);
}

TEST_CASE("refuse_head: limits answer 431/414, shapes 400, all closing", "[admission]") {
    const proxy::HeadLimits l;
    const auto status = [&](proxy::HeadState s) {
        auto a = proxy::refuse_head(s, "a bare LF", l);
        CHECK_FALSE(a.reply->keep_alive());
        return a.reply->result_int();
    };
    CHECK(status(proxy::HeadState::TooLarge) == 431);
    CHECK(status(proxy::HeadState::TooManyFields) == 431);
    CHECK(status(proxy::HeadState::RequestLineTooLong) == 414);
    CHECK(status(proxy::HeadState::Malformed) == 400);
}
