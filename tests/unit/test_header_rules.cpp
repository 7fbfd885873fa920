#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "local-proxy/header_rules.h"

using aks::proxy::http::field;
using aks::proxy::http::fields;
namespace proxy = aks::proxy;

namespace {

fields make(const std::vector<std::pair<std::string, std::string>>& h) {
    fields f;
    for (const auto& [name, value] : h) f.insert(name, value);
    return f;
}

std::vector<std::string> names(const fields& f) {
    std::vector<std::string> out;
    for (const auto& h : f) out.emplace_back(h.name_string());
    return out;
}

}  // namespace

TEST_CASE("is_hop_by_hop: the RFC 9110 list, any case", "[header_rules]") {
    for (const char* h : {"Connection", "keep-alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding",
                          "UPGRADE", "Proxy-Authorization", "Proxy-Authenticate"})
        CHECK(proxy::is_hop_by_hop(h));
    for (const char* h : {"Host", "Authorization", "Content-Length", "Content-Type", "Accept", "Cookie", "Origin"})
        CHECK_FALSE(proxy::is_hop_by_hop(h));
}

TEST_CASE("strip_hop_by_hop: removes listed and Connection-named headers", "[header_rules]") {
    struct Row {
        std::vector<std::pair<std::string, std::string>> in;
        bool keep_upgrade;
        std::vector<std::string> out;
    };
    const std::vector<Row> rows = {
        {{{"Accept", "a"}, {"Connection", "keep-alive"}, {"Keep-Alive", "timeout=5"}}, false, {"Accept"}},
        {{{"Connection", "close, X-Secret"}, {"X-Secret", "1"}, {"X-Other", "2"}}, false, {"X-Other"}},
        {{{"Connection", "x-a"}, {"Connection", "X-B"}, {"x-a", "1"}, {"X-B", "2"}, {"Accept", "*"}}, false, {"Accept"}},
        {{{"TE", "trailers"}, {"Trailer", "X"}, {"Transfer-Encoding", "chunked"}, {"Proxy-Authorization", "b"}},
         false,
         {}},
        {{{"Connection", "Upgrade"}, {"Upgrade", "websocket"}, {"Sec-WebSocket-Key", "k"}}, false, {"Sec-WebSocket-Key"}},
    };
    for (const Row& r : rows) {
        fields f = make(r.in);
        proxy::strip_hop_by_hop(f, r.keep_upgrade);
        CHECK(names(f) == r.out);
    }
}

TEST_CASE("strip_hop_by_hop: an upgrade keeps Upgrade and a clean Connection", "[header_rules]") {
    fields f = make({{"Connection", "keep-alive, Upgrade"}, {"Upgrade", "websocket"}, {"Keep-Alive", "1"},
                     {"Sec-WebSocket-Protocol", "v5.channel.k8s.io"}});
    proxy::strip_hop_by_hop(f, true);
    CHECK(std::string(f[field::connection]) == "Upgrade");
    CHECK(std::string(f[field::upgrade]) == "websocket");
    CHECK(f.count(field::keep_alive) == 0);
    CHECK(std::string(f[field::sec_websocket_protocol]) == "v5.channel.k8s.io");
}

TEST_CASE("is_upgrade_request needs both Connection: upgrade and Upgrade", "[header_rules]") {
    CHECK(proxy::is_upgrade_request(make({{"Connection", "Upgrade"}, {"Upgrade", "websocket"}})));
    CHECK(proxy::is_upgrade_request(make({{"Connection", "keep-alive, upgrade"}, {"Upgrade", "SPDY/3.1"}})));
    CHECK_FALSE(proxy::is_upgrade_request(make({{"Upgrade", "websocket"}})));
    CHECK_FALSE(proxy::is_upgrade_request(make({{"Connection", "Upgrade"}})));
}

TEST_CASE("rewrite_request_headers: Host, Authorization replaced, never appended", "[header_rules]") {
    fields f = make({{"Host", "127.0.0.1:8001"}, {"Authorization", "Bearer client"}, {"authorization", "Basic x"},
                     {"Proxy-Authorization", "Basic p"}, {"Expect", "100-continue"}, {"Accept", "application/json"},
                     {"Connection", "keep-alive"}});
    proxy::rewrite_request_headers(f, "aks.example:443", "Bearer proxy-token", false);
    CHECK(std::string(f[field::host]) == "aks.example:443");
    CHECK(f.count(field::authorization) == 1);
    CHECK(std::string(f[field::authorization]) == "Bearer proxy-token");
    CHECK(f.count(field::proxy_authorization) == 0);
    CHECK(f.count(field::expect) == 0);
    CHECK(f.count(field::connection) == 0);
    CHECK(std::string(f[field::accept]) == "application/json");
}

TEST_CASE("framing_error: smuggling shapes are refused", "[header_rules]") {
    struct Row {
        std::vector<std::pair<std::string, std::string>> in;
        bool bad;
    };
    const std::vector<Row> rows = {
        {{}, false},
        {{{"Content-Length", "5"}}, false},
        {{{"Transfer-Encoding", "chunked"}}, false},
        {{{"Transfer-Encoding", "Chunked"}}, false},
        {{{"Content-Length", "5"}, {"Transfer-Encoding", "chunked"}}, true},
        {{{"Content-Length", "5"}, {"Content-Length", "6"}}, true},
        {{{"Content-Length", "5"}, {"Content-Length", "5"}}, true},
        {{{"Content-Length", "5, 6"}}, true},
        {{{"Content-Length", "-1"}}, true},
        {{{"Content-Length", "0x10"}}, true},
        {{{"Content-Length", ""}}, true},
        {{{"Transfer-Encoding", "gzip, chunked"}}, true},
        {{{"Transfer-Encoding", "chunked, gzip"}}, true},
        {{{"Transfer-Encoding", "xchunked"}}, true},
        {{{"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}}, true},
        // Connection may not name framing, Host or Authorization (issue #11, defect 1).
        {{{"Connection", "keep-alive, Content-Length"}, {"Content-Length", "5"}}, true},
        {{{"Connection", "transfer-encoding"}, {"Transfer-Encoding", "chunked"}}, true},
        {{{"Connection", "close"}, {"Connection", "Host"}}, true},
        {{{"Connection", "AUTHORIZATION"}}, true},
        {{{"Connection", "keep-alive, Upgrade, X-Custom"}}, false},
    };
    for (const Row& r : rows) {
        INFO(r.in.size() << " headers, first " << (r.in.empty() ? "" : r.in[0].second));
        CHECK(proxy::framing_error(make(r.in)).has_value() == r.bad);
    }
    // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 request is faulty framing.
    CHECK(proxy::framing_error(make({{"Transfer-Encoding", "chunked"}}), 10).has_value());
    CHECK_FALSE(proxy::framing_error(make({{"Content-Length", "3"}}), 10).has_value());
}

TEST_CASE("strip_hop_by_hop never removes framing, Host or Authorization", "[header_rules]") {
    fields f = make({{"Connection", "Content-Length, Host, Authorization, Transfer-Encoding, X-A"},
                     {"Content-Length", "5"}, {"Host", "h"}, {"Authorization", "Bearer t"}, {"X-A", "1"}});
    proxy::strip_hop_by_hop(f, false);
    CHECK(names(f) == std::vector<std::string>{"Content-Length", "Host", "Authorization"});
    CHECK(proxy::connection_may_name("X-A"));
    CHECK_FALSE(proxy::connection_may_name("content-length"));
}

TEST_CASE("host_without_port", "[header_rules]") {
    CHECK(proxy::host_without_port("localhost:8001") == "localhost");
    CHECK(proxy::host_without_port("localhost") == "localhost");
    CHECK(proxy::host_without_port("127.0.0.1:1") == "127.0.0.1");
    CHECK(proxy::host_without_port("[::1]:8001") == "[::1]");
    CHECK(proxy::host_without_port("[::1]") == "[::1]");
    CHECK(proxy::host_without_port("::1") == "::1");
    CHECK(proxy::host_without_port(" evil.example:80 ") == "evil.example");
}

TEST_CASE("origin_allowed: absent or the proxy's own origin only", "[header_rules]") {
    CHECK(proxy::origin_allowed(std::nullopt, "127.0.0.1:8001"));
    CHECK(proxy::origin_allowed(std::string("http://127.0.0.1:8001"), "127.0.0.1:8001"));
    CHECK(proxy::origin_allowed(std::string("HTTP://LOCALHOST:8001"), "localhost:8001"));
    CHECK_FALSE(proxy::origin_allowed(std::string("http://evil.example"), "127.0.0.1:8001"));
    CHECK_FALSE(proxy::origin_allowed(std::string("http://127.0.0.1:9999"), "127.0.0.1:8001"));
    CHECK_FALSE(proxy::origin_allowed(std::string("https://127.0.0.1:8001"), "127.0.0.1:8001"));
    CHECK_FALSE(proxy::origin_allowed(std::string("null"), "127.0.0.1:8001"));
    CHECK_FALSE(proxy::origin_allowed(std::string("http://127.0.0.1:8001"), ""));
}
