#pragma once
// Self-contained SHA-256 (FIPS 180-4). The credential plugin's cache-hit path
// uses it to derive cache file names without loading OpenSSL.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace aks {

std::array<std::uint8_t, 32> sha256(std::string_view data);
std::string sha256_hex(std::string_view data);  // lowercase hex, 64 chars

}  // namespace aks
