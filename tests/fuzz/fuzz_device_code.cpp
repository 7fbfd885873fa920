// Device authorization answers (RFC 8628 §3.2, Entra's shape): either a
// DeviceCode whose values are within bounds and whose terminal prompt is one
// clean line, or an AuthError; nothing else escapes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/device_code_flow.h"
#include "core/errors.h"
#include "core/terminal_text.h"

namespace {

// One line without control characters: terminal_line leaves it as it is.
bool clean_line(const std::string& s) { return aks::terminal_line(s, s.size()) == s; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body(reinterpret_cast<const char*>(data), size);
    try {
        const aks::DeviceCode dc = aks::parse_device_code_response(body);
        if (dc.device_code.empty()) std::abort();
        if (dc.expires_in <= 0 || dc.expires_in > 3600) std::abort();
        if (dc.interval < 0 || dc.interval > 60) std::abort();
        const std::string prompt = aks::device_code_prompt(dc);
        if (prompt.empty() || !clean_line(prompt)) std::abort();
    } catch (const aks::AuthError& e) {
        // Refused: one short line naming what is missing, never the body.
        const std::string msg = e.what();
        if (!clean_line(msg) || msg.size() > 120) std::abort();
    }
    return 0;
}
