#include "local-proxy/access_log.h"

#include <unistd.h>

namespace aks::proxy {

std::string loggable_path(const std::string& target) {
    std::string path = target.substr(0, target.find('?'));
    for (char& c : path)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    return path;
}

void AccessLog::write(const AccessRecord& r) const {
    if (!enabled_) return;
    const long long ms = std::chrono::duration_cast<std::chrono::milliseconds>(r.duration).count();
    std::string line = "aks-proxy: " + r.method + " " + loggable_path(r.path) + " " + std::to_string(r.status) + " " +
                       std::to_string(r.bytes) + "B " + std::to_string(ms) + "ms";
    if (*r.note) line += std::string(" ") + r.note;
    line += '\n';
    // One write(2) per line keeps lines from different threads whole.
    const ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
    (void)ignored;
}

}  // namespace aks::proxy
