#pragma once
// The client-go exec credential protocol: what kubectl tells us in
// KUBERNETES_EXEC_INFO and the ExecCredential we answer with.
#include <optional>
#include <string>

#include "core/token.h"

namespace aks {

constexpr const char* kExecApiV1 = "client.authentication.k8s.io/v1";
constexpr const char* kExecApiV1beta1 = "client.authentication.k8s.io/v1beta1";

struct ExecInfo {
    bool present = false;                    // KUBERNETES_EXEC_INFO was set (non-empty)
    std::string api_version = kExecApiV1beta1;  // the version to answer in
    std::optional<bool> interactive;         // spec.interactive when given
};

// Parses the KUBERNETES_EXEC_INFO value (nullopt or empty: absent → v1beta1).
// An empty apiVersion also means v1beta1, as in kubelogin. Throws UsageError
// on malformed JSON or an apiVersion other than v1 / v1beta1.
ExecInfo parse_exec_info(const std::optional<std::string>& value);

// The ExecCredential JSON (one line + "\n") in the requested apiVersion,
// with expirationTimestamp = client_expiry(token) so client-go asks again
// before the API server would reject the token. Field order and shape follow
// client-go's own serialisation (and so kubelogin's output).
std::string format_exec_credential(const ExecInfo& info, const Token& token);

}  // namespace aks
