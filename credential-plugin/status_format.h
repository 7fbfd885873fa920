#pragma once
// `aks-token status` output: what is cached, never the token itself.
#include <cstdint>
#include <string>
#include <vector>

#include "core/token_cache.h"

namespace aks {

// "45s", "53m", "1h 05m", "2d 3h" (rounded down).
std::string format_duration(std::int64_t seconds);

// Human text, one block per entry separated by a blank line.
std::string format_status_text(const std::vector<CacheEntry>& entries, std::int64_t now);

// The same fields as a JSON array (one line + "\n").
std::string format_status_json(const std::vector<CacheEntry>& entries, std::int64_t now);

}  // namespace aks
