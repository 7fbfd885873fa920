// The HTTP/1.1 ↔ HTTP/2 head mapping (local-proxy/h2_headers) as tables.
#include <catch2/catch.hpp>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/empty_body.hpp>

#include "local-proxy/h2_headers.h"
#include "local-proxy/header_rules.h"

namespace {

using aks::proxy::BodyFraming;
using aks::proxy::H2Field;
namespace http = boost::beast::http;

using Fields = std::vector<H2Field>;

// The client's request after rewrite_request_headers, as the exchange has it.
http::fields rewritten(std::initializer_list<std::pair<const char*, const char*>> fields) {
    http::fields f;
    for (auto& [n, v] : fields) f.insert(n, v);
    aks::proxy::rewrite_request_headers(f, "api.example.io:443", "Bearer tok", false);
    return f;
}

}  // namespace

TEST_CASE("h2 request: pseudo-headers first, :authority from Host, names lower case") {
    const auto f = rewritten({{"Host", "127.0.0.1:8001"}, {"Accept", "application/json"}, {"User-Agent", "kubectl/v1.32"}});
    std::string names;
    const Fields got = aks::proxy::h2_request_fields(f, "GET", "/api/v1/pods?limit=500", false, names);
    const Fields want{{":method", "GET"},
                      {":scheme", "https"},
                      {":authority", "api.example.io:443"},
                      {":path", "/api/v1/pods?limit=500"},
                      {"accept", "application/json"},
                      {"user-agent", "kubectl/v1.32"},
                      {"authorization", "Bearer tok"}};
    CHECK(got == want);
}

TEST_CASE("h2 request: no value is copied; only names not yet in lower case are") {
    http::fields f;
    f.insert("Host", "localhost");
    f.insert("x-lower", "1");
    f.insert("X-Mixed-Case", "2");
    f.insert("Authorization", "Bearer tok");
    std::string names;
    const Fields got = aks::proxy::h2_request_fields(f, "GET", "/", false, names);
    CHECK(names == "x-mixed-caseauthorization");
    for (const H2Field& x : got) {
        if (x.first == "x-lower") CHECK(x.first.data() == f.find("x-lower")->name_string().data());
        if (x.first == "authorization") CHECK(x.second.data() == f.find(http::field::authorization)->value().data());
    }
}

TEST_CASE("h2 request: connection-specific fields never go out (RFC 9113 8.2.2)") {
    struct Row {
        std::initializer_list<std::pair<const char*, const char*>> in;
        Fields extra;  // after the pseudo-headers and authorization
    };
    const Row rows[] = {
        {{{"Connection", "keep-alive"}, {"Keep-Alive", "timeout=5"}}, {}},
        {{{"Proxy-Connection", "keep-alive"}}, {}},
        {{{"Transfer-Encoding", "chunked"}}, {}},
        {{{"Connection", "X-Custom"}, {"X-Custom", "1"}, {"X-Other", "2"}}, {{"x-other", "2"}}},
        {{{"Upgrade", "h2c"}}, {}},
        {{{"Content-Length", "12"}}, {{"content-length", "12"}}},
    };
    for (const Row& row : rows) {
        http::fields f;
        for (auto& [n, v] : row.in) f.insert(n, v);
        f.insert("Host", "localhost");
        aks::proxy::rewrite_request_headers(f, "api:6443", "Bearer t", false);
        std::string names;
        Fields got = aks::proxy::h2_request_fields(f, "POST", "/x", false, names);
        got.erase(got.begin(), got.begin() + 4);
        Fields want = row.extra;
        want.emplace_back("authorization", "Bearer t");
        CHECK(got == want);
    }
}

TEST_CASE("h2 request: TE goes out only as \"trailers\", when the client asked for trailers") {
    struct Row {
        const char* te;
        bool trailers;
    };
    for (const Row row : {Row{"trailers", true}, Row{"gzip, Trailers", true}, Row{"gzip", false}, Row{"", false}}) {
        http::fields f;
        f.insert("Host", "localhost");
        if (*row.te) f.insert("TE", row.te);
        CAPTURE(row.te);
        const bool asked = aks::proxy::te_has_trailers(f);
        CHECK(asked == row.trailers);
        aks::proxy::rewrite_request_headers(f, "api:6443", "Bearer t", false);
        std::string names;
        const Fields got = aks::proxy::h2_request_fields(f, "GET", "/", asked, names);
        const bool sent = std::find(got.begin(), got.end(), H2Field{"te", "trailers"}) != got.end();
        CHECK(sent == row.trailers);
        CHECK(std::count_if(got.begin(), got.end(), [](const H2Field& x) { return x.first == "te"; }) == (row.trailers ? 1 : 0));
    }
}

TEST_CASE("h2 request: Cookie is split into one field per cookie-pair (RFC 9113 8.2.3)") {
    const auto f = rewritten({{"Host", "localhost"}, {"Cookie", "a=1; b=2;c=3"}, {"Cookie", "d=4"}});
    std::string names;
    const Fields got = aks::proxy::h2_request_fields(f, "GET", "/", false, names);
    Fields cookies;
    for (const H2Field& x : got)
        if (x.first == "cookie") cookies.push_back(x);
    CHECK(cookies == Fields{{"cookie", "a=1"}, {"cookie", "b=2"}, {"cookie", "c=3"}, {"cookie", "d=4"}});
}

TEST_CASE("h2 request: the client's Authorization never reaches the API server") {
    const auto f = rewritten({{"Host", "localhost"}, {"Authorization", "Bearer stolen"}, {"Proxy-Authorization", "Basic x"}});
    std::string names;
    const Fields got = aks::proxy::h2_request_fields(f, "GET", "/", false, names);
    for (const H2Field& x : got) {
        CHECK(x.second.find("stolen") == std::string_view::npos);
        CHECK(x.first != "proxy-authorization");
    }
    CHECK(std::count(got.begin(), got.end(), H2Field{"authorization", "Bearer tok"}) == 1);
}

TEST_CASE("h2 response: the HTTP/1.1 head states the framing the client needs") {
    const Fields fields{{"content-type", "application/json"}, {"x-kubernetes-pf-flowschema-uid", "abc"},
                        {"audit-id", "42"}};
    struct Row {
        int status;
        Fields fields;
        BodyFraming framing;
        bool keep_alive, http10;
        const char* want;
    };
    const Row rows[] = {
        {200, fields, BodyFraming::chunked, true, false,
         "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Kubernetes-Pf-Flowschema-Uid: abc\r\n"
         "Audit-Id: 42\r\nTransfer-Encoding: chunked\r\n\r\n"},
        {200, {{"content-length", "5"}}, BodyFraming::length, true, false,
         "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"},
        {201, {}, BodyFraming::empty, true, false, "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"},
        {204, {}, BodyFraming::none, true, false, "HTTP/1.1 204 No Content\r\n\r\n"},
        {200, {{"content-length", "99"}}, BodyFraming::none, true, false,
         "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"},  // a HEAD answer keeps its length
        {404, {}, BodyFraming::close, false, true, "HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n"},
        {200, {}, BodyFraming::empty, true, true, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n"},
        {429, {{"retry-after", "1"}}, BodyFraming::empty, false, false,
         "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"},
        // A connection-specific field an HTTP/2 server should not have sent is not passed on.
        {200, {{"connection", "close"}, {"keep-alive", "1"}, {"transfer-encoding", "chunked"}}, BodyFraming::chunked,
         true, false, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"},
    };
    for (const Row& r : rows) {
        CAPTURE(r.want);
        CHECK(aks::proxy::http1_response_head(r.status, r.fields, r.framing, r.keep_alive, r.http10) == r.want);
    }
}

TEST_CASE("h2 response: Content-Length is read only when it is a plain number") {
    CHECK(aks::proxy::h2_content_length({{"content-length", "5787"}}) == std::optional<std::uint64_t>(5787));
    CHECK_FALSE(aks::proxy::h2_content_length({{"content-type", "x"}}));
    CHECK_FALSE(aks::proxy::h2_content_length({{"content-length", "1e3"}}));
    CHECK_FALSE(aks::proxy::h2_content_length({{"content-length", ""}}));
}
