#include <catch2/catch.hpp>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>
#include <vector>

#include "local-proxy/request_head.h"

using aks::proxy::HeadLimits;
using aks::proxy::HeadScanner;
using aks::proxy::HeadState;

namespace {

// Feeds `pieces` one after another, as reads would deliver them.
HeadState scan_pieces(const std::vector<std::string>& pieces, HeadLimits limits = {}, std::size_t* size = nullptr) {
    HeadScanner s(limits);
    std::string seen;
    HeadState st = HeadState::Incomplete;
    for (const std::string& p : pieces) {
        seen += p;
        st = s.scan(seen);
        if (st != HeadState::Incomplete) break;
    }
    if (size) *size = s.size();
    return st;
}

}  // namespace

TEST_CASE("HeadScanner: a whole head, and where it ends", "[request_head]") {
    std::size_t size = 0;
    CHECK(scan_pieces({"GET / HTTP/1.1\r\nHost: x\r\n\r\nbody"}, {}, &size) == HeadState::Complete);
    CHECK(size == 27);
    CHECK(scan_pieces({"GET / HTTP/1.1\r\n\r\n"}, {}, &size) == HeadState::Complete);
    CHECK(size == 18);
    CHECK(scan_pieces({"GET / HTTP/1.1\r\nHost: x\r\n"}) == HeadState::Incomplete);
    CHECK(scan_pieces({"GET / HTTP/1.1\r\nHost: x\r\n\r"}) == HeadState::Incomplete);
}

TEST_CASE("HeadScanner: any split into reads gives the same answer", "[request_head]") {
    const std::string head = "POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n";
    for (std::size_t step = 1; step <= head.size(); ++step) {
        std::vector<std::string> pieces;
        for (std::size_t i = 0; i < head.size(); i += step) pieces.push_back(head.substr(i, step));
        std::size_t size = 0;
        CHECK(scan_pieces(pieces, {}, &size) == HeadState::Complete);
        CHECK(size == head.size());
    }
}

TEST_CASE("HeadScanner: the limits bound the whole head however it is split", "[request_head]") {
    HeadLimits l;
    l.max_head = 100;
    l.max_fields = 3;
    l.max_request_line = 30;
    std::string fields;
    for (int i = 0; i < 3; ++i) fields += "A: b\r\n";
    CHECK(scan_pieces({"GET / HTTP/1.1\r\n", fields, "\r\n"}, l) == HeadState::Complete);
    CHECK(scan_pieces({"GET / HTTP/1.1\r\n", fields, "A: b\r\n", "\r\n"}, l) == HeadState::TooManyFields);
    // 100 bytes at most, in one piece or a byte at a time.
    const std::string big = "GET / HTTP/1.1\r\nX: " + std::string(100, 'a') + "\r\n\r\n";
    CHECK(scan_pieces({big}, l) == HeadState::TooLarge);
    std::vector<std::string> bytes;
    for (char c : big) bytes.emplace_back(1, c);
    CHECK(scan_pieces(bytes, l) == HeadState::TooLarge);
    const std::string exact = "GET / HTTP/1.1\r\nX: " + std::string(100 - 16 - 3 - 4, 'a') + "\r\n\r\n";
    REQUIRE(exact.size() == 100);
    CHECK(scan_pieces({exact}, l) == HeadState::Complete);
    // The request line: 30 bytes pass, 31 are 414 even before the line ends.
    CHECK(scan_pieces({"GET /" + std::string(16, 'a') + " HTTP/1.1\r\n\r\n"}, l) == HeadState::Complete);
    CHECK(scan_pieces({"GET /" + std::string(17, 'a') + " HTTP/1.1\r\n\r\n"}, l) == HeadState::RequestLineTooLong);
    CHECK(scan_pieces({"GET /" + std::string(40, 'a')}, l) == HeadState::RequestLineTooLong);
}

TEST_CASE("HeadScanner: line shapes an HTTP/1.1 server must refuse", "[request_head]") {
    struct Row {
        const char* head;
        HeadState want;
    } rows[] = {
        {"GET / HTTP/1.1\nHost: x\r\n\r\n", HeadState::Malformed},            // bare LF after the request line
        {"GET / HTTP/1.1\r\nHost: x\n\r\n", HeadState::Malformed},            // bare LF after a field
        {"GET / HTTP/1.1\r\nHost: x\r\n\n", HeadState::Malformed},            // bare LF as the blank line
        {"GET / HTTP/1.1\r\nHost: x\rY: z\r\n\r\n", HeadState::Malformed},    // bare CR
        {"GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", HeadState::Malformed},       // obs-fold (SP)
        {"GET / HTTP/1.1\r\nX: a\r\n\tb\r\n\r\n", HeadState::Malformed},      // obs-fold (HTAB)
        {"\r\nGET / HTTP/1.1\r\n\r\n", HeadState::Malformed},                 // empty request line
        {"GET / HTTP/1.1\r\nX:  a \r\n\r\n", HeadState::Complete},            // spaces inside a value are fine
    };
    for (const Row& r : rows) {
        INFO(r.head);
        HeadScanner s;
        CHECK(s.scan(r.head) == r.want);
        if (r.want == HeadState::Malformed) CHECK(std::string(s.problem()).size() > 0);
    }
}

TEST_CASE("HeadScanner: an answer sticks", "[request_head]") {
    HeadScanner s;
    CHECK(s.scan("GET / HTTP/1.1\r\n\r\n") == HeadState::Complete);
    CHECK(s.scan("GET / HTTP/1.1\r\n\r\nGET") == HeadState::Complete);
    CHECK(s.size() == 18);
}

// What Beast 1.74's parser does with each smuggling shape on its own: the
// reasons HeadScanner and framing_error run before and after it.
namespace {

struct BeastResult {
    boost::beast::error_code ec;
    bool header_done = false;
    bool done = false;
    std::string te;
    std::string x;
};

BeastResult beast_parse(const std::string& bytes) {
    boost::beast::http::request_parser<boost::beast::http::string_body> p;
    BeastResult r;
    std::size_t used = 0;
    while (used < bytes.size() && !p.is_done()) {
        const std::size_t n = p.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), r.ec);
        used += n;
        if (r.ec == boost::beast::http::error::need_more) r.ec = {};
        if (r.ec || n == 0) break;
    }
    r.header_done = p.is_header_done();
    r.done = p.is_done();
    if (r.header_done) {
        r.te = std::string(p.get()[boost::beast::http::field::transfer_encoding]);
        r.x = std::string(p.get()["X"]);
    }
    return r;
}

}  // namespace

TEST_CASE("Beast's parser alone: the shapes the proxy must handle itself", "[request_head]") {
    namespace http = boost::beast::http;
    // obs-fold: Beast unfolds it ("a b"); an HTTP/1.1 server must refuse or
    // replace it, and a proxy must not forward a folded line: HeadScanner refuses.
    CHECK(beast_parse("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n").x == "a b");
    CHECK(beast_parse("GET / HTTP/1.1\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n").te == "chunked");
    // A coding other than a final "chunked": no error, and no body either —
    // the bytes after the head would be the next request: framing_error refuses.
    const auto gzip = beast_parse("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nGET /x HTTP/1.1\r\n\r\n");
    CHECK_FALSE(gzip.ec);
    CHECK(gzip.done);
    // Bare LF and bare CR: refused by Beast as well (and by HeadScanner first).
    CHECK(beast_parse("GET / HTTP/1.1\r\nX: a\nY: b\r\n\r\n").ec);
    CHECK(beast_parse("GET / HTTP/1.1\r\nX: a\rY: b\r\n\r\n").ec);
    CHECK(beast_parse("GET / HTTP/1.1\nX: a\r\n\r\n").ec);
    // A space before the colon: refused.
    CHECK(beast_parse("GET / HTTP/1.1\r\nTransfer-Encoding : chunked\r\n\r\n").ec);
    // Content-Length with Transfer-Encoding, and differing lengths: refused.
    CHECK(beast_parse("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n").ec ==
          http::error::bad_transfer_encoding);
    CHECK(beast_parse("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n").ec ==
          http::error::bad_content_length);
    // ... but the same length twice, or as a list, is accepted: framing_error refuses.
    CHECK_FALSE(beast_parse("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc").ec);
    CHECK_FALSE(beast_parse("POST / HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\nabc").ec);
    // A chunk size past 64 bits: bad_chunk, the body read fails and the exchange ends.
    CHECK(beast_parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\nx\r\n0\r\n\r\n").ec ==
          http::error::bad_chunk);
    // Chunk extensions and trailers are parsed and dropped: the proxy re-chunks the body.
    const auto ext = beast_parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;a=\"b\"\r\nx\r\n0\r\nX: t\r\n\r\n");
    CHECK_FALSE(ext.ec);
    CHECK(ext.done);
}
