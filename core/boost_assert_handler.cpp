// Boost's assertions in builds that keep them (no NDEBUG: Debug, the
// sanitizer and fuzz builds): what assert() does, except for one assertion
// that valid input breaks. Built with BOOST_ENABLE_ASSERT_DEBUG_HANDLER
// (top-level CMakeLists.txt); Release builds compile every BOOST_ASSERT out.
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

bool ends_with(const char* s, const char* suffix) {
    const std::size_t n = std::strlen(s), m = std::strlen(suffix);
    return n >= m && std::strcmp(s + n - m, suffix) == 0;
}

// Boost 1.74, beast/http/impl/basic_parser.ipp, parse_chunk_header: a last
// chunk ("0\r\n") whose trailer has not all arrived is parsed again when more
// comes, and asserts n >= 5 where a body that began with it has 4 bytes after
// one more; the code after the assertion asks for more input, as it should.
// Found by fuzz_proxy_request; boostorg/beast#2861 (merged 2024-05) corrects
// the assertion upstream.
bool known_wrong(const char* expr, const char* file) {
    return std::strcmp(expr, "n >= 5") == 0 && ends_with(file, "boost/beast/http/impl/basic_parser.ipp");
}

}  // namespace

namespace boost {

void assertion_failed(char const* expr, char const* function, char const* file, long line) {
    if (known_wrong(expr, file)) return;
    std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed.\n", file, line, function, expr);
    std::abort();
}

void assertion_failed_msg(char const* expr, char const* msg, char const* function, char const* file, long line) {
    std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed: %s\n", file, line, function, expr, msg);
    std::abort();
}

}  // namespace boost
