#include <catch2/catch.hpp>

#include <boost/beast/http/parser.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "local-proxy/forwarded_request.h"
#include "local-proxy/h2_headers.h"
#include "local-proxy/upstream.h"

namespace proxy = aks::proxy;
namespace http = proxy::http;

namespace {

class NoToken : public proxy::BearerSource {
public:
    std::shared_ptr<const std::string> authorization() const override { return nullptr; }
    std::string missing_token_message() const override { return ""; }
};

using Fields = std::vector<std::pair<std::string, std::string>>;

// An admitted client head through prepare_forwarded_request, then
// forwarded_h2_fields, as the Exchange runs them for the HTTP/2 upstream.
Fields h2_of(const std::string& head, const std::string& prefix = "") {
    proxy::Upstream upstream;
    upstream.host_header = "aks.example:443";
    upstream.path_prefix = prefix;
    proxy::RequestFilter filter(proxy::FilterSpec{});
    NoToken tokens;
    proxy::ProxyContext ctx(upstream, filter, tokens, proxy::AccessLog(false));
    http::request_parser<http::buffer_body> p;
    boost::beast::error_code ec;
    p.put(boost::asio::buffer(head), ec);
    REQUIRE_FALSE(ec);
    REQUIRE(p.is_header_done());
    auto& req = p.get();
    const bool te_trailers = proxy::te_has_trailers(req);  // before the rewrite, as the Exchange reads it
    proxy::prepare_forwarded_request(req, ctx, "Bearer proxy-token", false, p.chunked(), p.content_length());
    std::string names;
    Fields out;
    for (const auto& [n, v] : proxy::forwarded_h2_fields(req, te_trailers, names)) out.emplace_back(n, v);
    return out;
}

std::size_t count(const Fields& f, const std::string& name) {
    std::size_t n = 0;
    for (const auto& [k, v] : f) n += k == name;
    return n;
}

std::string get(const Fields& f, const std::string& name) {
    for (const auto& [k, v] : f)
        if (k == name) return v;
    return "";
}

}  // namespace

TEST_CASE("forwarded over HTTP/2: the admitted target, the upstream's Host, the proxy's Authorization", "[forwarded]") {
    const Fields f = h2_of(
        "GET /api/v1/pods?watch=1 HTTP/1.1\r\nHost: 127.0.0.1:8001\r\nAuthorization: Bearer forged\r\n"
        "Authorization: Basic eDp5\r\nProxy-Authorization: Basic eDp5\r\nAccept: application/json\r\n\r\n",
        "/prefix");
    REQUIRE(f.size() >= 4);
    CHECK(f[0] == std::make_pair(std::string(":method"), std::string("GET")));
    CHECK(f[1] == std::make_pair(std::string(":scheme"), std::string("https")));
    CHECK(f[2] == std::make_pair(std::string(":authority"), std::string("aks.example:443")));
    CHECK(f[3] == std::make_pair(std::string(":path"), std::string("/prefix/api/v1/pods?watch=1")));
    CHECK(count(f, "authorization") == 1);
    CHECK(get(f, "authorization") == "Bearer proxy-token");
    CHECK(count(f, "proxy-authorization") == 0);
    CHECK(count(f, "host") == 0);
    CHECK(get(f, "accept") == "application/json");
}

TEST_CASE("forwarded over HTTP/2: no hop-by-hop or connection-specific field (RFC 9113 8.2.2)", "[forwarded]") {
    const Fields f = h2_of(
        "POST /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive, X-Named\r\n"
        "X-Named: gone\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: gzip\r\nTrailer: X-T\r\n"
        "Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (const char* never : {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te",
                              "trailer", "expect", "x-named", "content-length"})
        CHECK(count(f, never) == 0);
    CHECK(get(f, ":method") == "POST");
}

TEST_CASE("forwarded over HTTP/2: Content-Length is the one value the body is framed by; TE only as trailers",
          "[forwarded]") {
    const Fields cl = h2_of("PUT /api/v1/namespaces/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 007\r\n\r\n");
    CHECK(count(cl, "content-length") == 1);
    CHECK(get(cl, "content-length") == "7");
    const Fields te = h2_of("GET /api/v1/pods HTTP/1.1\r\nHost: localhost\r\nTE: gzip, trailers\r\n\r\n");
    CHECK(count(te, "te") == 1);
    CHECK(get(te, "te") == "trailers");
}
