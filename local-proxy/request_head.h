#pragma once
// The request head as raw bytes, before Beast parses it: the proxy finds the
// end of the head itself so that its limits bound the WHOLE head however the
// client splits it into writes (Beast's header_limit applies to the bytes of
// one parse attempt, and Beast consumes whole fields as they arrive), and so
// that shapes Beast tolerates but an HTTP/1.1 server must refuse never reach
// it. Incremental: each call looks only at bytes it has not seen, so a head
// trickled in byte by byte costs linear time.
#include <cstddef>
#include <string_view>

namespace aks::proxy {

struct HeadLimits {
    std::size_t max_head = 32 * 1024;        // request line + fields + blank line → 431
    std::size_t max_fields = 100;            // field lines → 431 (Apache's LimitRequestFields)
    std::size_t max_request_line = 8 * 1024; // method SP target SP version → 414 (Apache, nginx)
};

enum class HeadState {
    Incomplete,          // read more
    Complete,            // size() bytes are the whole head, blank line included
    TooLarge,            // 431
    TooManyFields,       // 431
    RequestLineTooLong,  // 414
    Malformed,           // 400: bare CR or LF, obs-fold, empty request line
};

class HeadScanner {
public:
    explicit HeadScanner(HeadLimits limits = {}) : limits_(limits) {}
    // `bytes` is everything received since the head began; bytes passed
    // before must be passed again, unchanged, at the front.
    HeadState scan(std::string_view bytes);
    std::size_t size() const { return size_; }  // head length when Complete
    const char* problem() const { return problem_; }  // one phrase when Malformed

private:
    HeadState malformed(const char* what);

    HeadLimits limits_;
    std::size_t pos_ = 0;         // next byte to look at
    std::size_t line_start_ = 0;  // first byte of the current line
    std::size_t fields_ = 0;
    bool request_line_ = true;
    std::size_t size_ = 0;
    const char* problem_ = "";
    HeadState done_ = HeadState::Incomplete;
};

}  // namespace aks::proxy
