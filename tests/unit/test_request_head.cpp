#include <catch2/catch.hpp>

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
