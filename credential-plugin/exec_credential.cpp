#include "credential-plugin/exec_credential.h"

#include <picojson.h>

#include "core/errors.h"
#include "core/expiry.h"
#include "core/json_number.h"
#include "core/json_quote.h"
#include "core/terminal_text.h"

namespace aks {

namespace {

bool only_space(std::string::const_iterator it, std::string::const_iterator end) {
    for (; it != end; ++it) {
        if (*it != ' ' && *it != '\t' && *it != '\n' && *it != '\r') return false;
    }
    return true;
}

}  // namespace

ExecInfo parse_exec_info(const std::optional<std::string>& value) {
    ExecInfo info;
    if (!value || only_space(value->begin(), value->end())) return info;
    info.present = true;

    // The message never quotes the variable: it may carry cluster config.
    const char* malformed = "KUBERNETES_EXEC_INFO is not a valid ExecCredential JSON object";
    // parse_json bounds the nesting (picojson recurses) and catches its
    // number overflow: the variable comes from whoever started us.
    const auto root = parse_json(*value);
    if (!root || !root->is<picojson::object>()) throw UsageError(malformed);
    const auto& obj = root->get<picojson::object>();

    if (auto it = obj.find("apiVersion"); it != obj.end() && !it->second.is<picojson::null>()) {
        if (!it->second.is<std::string>()) throw UsageError(malformed);
        const std::string& v = it->second.get<std::string>();
        if (v == kExecApiV1 || v == kExecApiV1beta1) {
            info.api_version = v;
        } else if (!v.empty()) {
            throw UsageError("unsupported KUBERNETES_EXEC_INFO apiVersion " + terminal_line(v, 100) +
                             " (use client.authentication.k8s.io/v1 or v1beta1 in the kubeconfig exec entry)");
        }
    }

    if (auto it = obj.find("spec"); it != obj.end() && !it->second.is<picojson::null>()) {
        if (!it->second.is<picojson::object>()) throw UsageError(malformed);
        const auto& spec = it->second.get<picojson::object>();
        if (auto i = spec.find("interactive"); i != spec.end() && !i->second.is<picojson::null>()) {
            if (!i->second.is<bool>()) throw UsageError(malformed);
            info.interactive = i->second.get<bool>();
        }
    }
    return info;
}

std::string format_exec_credential(const ExecInfo& info, const Token& token) {
    // client-go's types: v1 always serialises spec.interactive, v1beta1's spec
    // has no such field (empty object).
    const bool v1 = info.api_version == kExecApiV1;
    std::string out;
    out.reserve(token.access_token.size() + 200);
    out += "{\"kind\":\"ExecCredential\",\"apiVersion\":";
    out += json_quote(info.api_version);
    out += ",\"spec\":";
    out += v1 ? (info.interactive.value_or(false) ? "{\"interactive\":true}" : "{\"interactive\":false}") : "{}";
    out += ",\"status\":{\"expirationTimestamp\":";
    out += json_quote(rfc3339_utc(client_expiry(token)));
    out += ",\"token\":";
    out += json_quote(token.access_token);
    out += "}}\n";
    return out;
}

}  // namespace aks
