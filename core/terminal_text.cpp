#include "core/terminal_text.h"

#include <algorithm>

namespace aks {

std::string terminal_line(std::string_view text, std::size_t max) {
    std::string out;
    out.reserve(std::min(text.size(), max + 3));
    for (unsigned char c : text) out.push_back(c < 0x20 || c == 0x7f ? ' ' : static_cast<char>(c));
    if (out.size() <= max) return out;
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "...";
}

}  // namespace aks
