#pragma once
// One stderr line per request: method, path (never the query, where a token
// could hide), status, body bytes sent, duration. Lines are written whole.
#include <chrono>
#include <cstdint>
#include <string>

namespace aks::proxy {

struct AccessRecord {
    std::string method, path;
    int status = 0;
    std::uint64_t bytes = 0;
    std::chrono::steady_clock::duration duration{};
    const char* note = "";  // "upgrade", "refused", ...
};

class AccessLog {
public:
    explicit AccessLog(bool enabled) : enabled_(enabled) {}
    void write(const AccessRecord& r) const;
    bool enabled() const { return enabled_; }

private:
    bool enabled_;
};

// Path without the query string, with control characters replaced.
std::string loggable_path(const std::string& target);

}  // namespace aks::proxy
