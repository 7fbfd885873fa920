// KUBERNETES_EXEC_INFO: parse_exec_info either refuses the value with a
// one-line UsageError of bounded length, or returns an ExecInfo whose answer
// (the ExecCredential we would print) is JSON in the same apiVersion, which
// parse_exec_info reads back to the same apiVersion and interactive flag.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/errors.h"
#include "core/json_number.h"
#include "credential-plugin/exec_credential.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string value(reinterpret_cast<const char*>(data), size);
    aks::ExecInfo info;
    try {
        info = aks::parse_exec_info(value);
    } catch (const aks::UsageError& e) {
        // One clean, short line: the variable may carry cluster configuration.
        const std::string msg = e.what();
        if (msg.size() > 300) std::abort();
        for (unsigned char c : msg)
            if (c < 0x20 || c == 0x7f) std::abort();
        return 0;
    }
    if (info.api_version != aks::kExecApiV1 && info.api_version != aks::kExecApiV1beta1) std::abort();

    aks::Token t;
    t.access_token = "header.payload.signature";
    t.expires_on = 1'700'003'600;
    t.obtained_at = 1'700'000'000;
    const std::string out = aks::format_exec_credential(info, t);
    const auto json = aks::parse_json(out);
    if (!json || aks::json_string_field(*json, "apiVersion") != info.api_version) std::abort();
    if (aks::json_string_field(*json, "kind") != "ExecCredential") std::abort();

    const aks::ExecInfo back = aks::parse_exec_info(out);
    if (back.api_version != info.api_version) std::abort();
    // v1 always carries spec.interactive; v1beta1's spec is empty.
    const bool v1 = info.api_version == aks::kExecApiV1;
    if (v1 && back.interactive != info.interactive.value_or(false)) std::abort();
    if (!v1 && back.interactive.has_value()) std::abort();
    return 0;
}
