#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

// Declared by boost/assert.hpp only where assertions are on; the tests call
// them in every build.
namespace boost {
void assertion_failed(char const* expr, char const* function, char const* file, long line);
void assertion_failed_msg(char const* expr, char const* msg, char const* function, char const* file, long line);
}  // namespace boost

namespace http = boost::beast::http;

namespace {

// Runs f in a child process; its signal (0: it returned).
template <class F>
int signal_of(F f) {
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        const int null = open("/dev/null", O_WRONLY);
        if (null >= 0) dup2(null, STDERR_FILENO);  // the assertion's message
        f();
        _exit(0);
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

}  // namespace

TEST_CASE("boost assert: a chunked body that begins with its last chunk parses when it comes a byte at a time",
          "[boost_assert]") {
    // Boost 1.74's parser asserts n >= 5 here with 4 bytes buffered; a build
    // with assertions on stopped on this valid request (fuzz_proxy_request).
    http::request_parser<http::empty_body> parser;
    const std::string head = "POST /api/v1/pods HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    const std::string body = "0\r\n\r\n";
    std::string buffered;
    boost::beast::error_code ec;
    for (char c : head + body) {
        buffered += c;
        const std::size_t used = parser.put(boost::asio::buffer(buffered), ec);
        buffered.erase(0, used);
        if (ec == http::error::need_more) ec = {};
        REQUIRE_FALSE(ec);
    }
    CHECK(parser.is_done());
    CHECK(buffered.empty());
}

TEST_CASE("boost assert: every other failed assertion aborts", "[boost_assert]") {
    CHECK(signal_of([] { boost::assertion_failed("x == y", "f", "/usr/include/boost/asio/whatever.hpp", 1); }) ==
          SIGABRT);
    // The same expression anywhere else is not the known one.
    CHECK(signal_of([] { boost::assertion_failed("n >= 5", "f", "/work/main/local-proxy/exchange.cpp", 1); }) ==
          SIGABRT);
    CHECK(signal_of([] { boost::assertion_failed_msg("n >= 5", "why", "f", "x.ipp", 1); }) == SIGABRT);
    CHECK(signal_of([] {
              boost::assertion_failed("n >= 5", "f", "/usr/include/boost/beast/http/impl/basic_parser.ipp", 688);
          }) == 0);
}
