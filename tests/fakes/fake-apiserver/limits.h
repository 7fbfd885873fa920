#pragma once
// Deadlines and size limits of every connection.
#include <chrono>
#include <cstdint>

namespace aks::fake_apiserver {

constexpr std::chrono::seconds kHandshakeTimeout{10};
constexpr std::chrono::seconds kIdleTimeout{30};  // waiting for, reading or writing a message
constexpr std::chrono::seconds kShutdownTimeout{5};
// Entra tokens with many groups run to several KiB; 64 KiB leaves room.
constexpr std::uint32_t kHeaderLimit = 64 * 1024;
constexpr std::uint64_t kBodyLimit = 1024 * 1024;

}  // namespace aks::fake_apiserver
