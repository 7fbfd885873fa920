#pragma once
// Text from a server (error descriptions, prompts, discovery documents) that
// ends up on a terminal: one line, no control characters, bounded length.
#include <cstddef>
#include <string>
#include <string_view>

namespace aks {

// Control characters (CR, LF, ESC, ...) and DEL become spaces; longer than
// `max` bytes is cut on a UTF-8 boundary and ends in "...".
std::string terminal_line(std::string_view text, std::size_t max = 200);

}  // namespace aks
