#include "local-proxy/request_head.h"

namespace aks::proxy {

HeadState HeadScanner::malformed(const char* what) {
    problem_ = what;
    return done_ = HeadState::Malformed;
}

HeadState HeadScanner::scan(std::string_view bytes) {
    if (done_ != HeadState::Incomplete) return done_;
    for (; pos_ < bytes.size(); ++pos_) {
        if (pos_ >= limits_.max_head) return done_ = HeadState::TooLarge;
        const char c = bytes[pos_];
        if (c == '\r') {
            // RFC 9112 §2.2: CR only as part of CRLF.
            if (pos_ + 1 == bytes.size()) return HeadState::Incomplete;  // look again with more bytes
            if (bytes[pos_ + 1] != '\n') return malformed("a bare CR");
            continue;  // the LF ends the line
        }
        if (c == '\n') {
            if (pos_ == 0 || bytes[pos_ - 1] != '\r') return malformed("a line ending in a bare LF");
            const std::size_t length = pos_ - 1 - line_start_;  // without the CRLF
            if (request_line_) {
                // Beast has no "ignore an empty line before the request line"; neither do we.
                if (length == 0) return malformed("an empty request line");
                request_line_ = false;
            } else if (length == 0) {
                size_ = pos_ + 1;
                return done_ = HeadState::Complete;
            } else if (++fields_ > limits_.max_fields) {
                return done_ = HeadState::TooManyFields;
            }
            line_start_ = pos_ + 1;
            continue;
        }
        if (request_line_ && pos_ - line_start_ >= limits_.max_request_line)
            return done_ = HeadState::RequestLineTooLong;
        // RFC 9112 §5.2: obs-fold is refused (Beast would unfold it).
        if (pos_ == line_start_ && !request_line_ && (c == ' ' || c == '\t'))
            return malformed("a folded header line (obs-fold)");
    }
    return HeadState::Incomplete;
}

}  // namespace aks::proxy
