#include "core/workload_identity_flow.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "core/client_credentials_flow.h"
#include "core/errors.h"
#include "core/json_number.h"
#include "core/url.h"

namespace aks {
namespace {

constexpr std::size_t kMaxFederatedToken = 64 * 1024;

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

FederatedTokenSource federated_token_source(const std::string& file_setting, const EnvLookup& env) {
    FederatedTokenSource src;
    src.file = file_setting;
    if (!src.file.empty()) return src;
    auto get = [&](const char* n) { return env ? env(n).value_or("") : std::string(); };
    src.github_url = get("ACTIONS_ID_TOKEN_REQUEST_URL");
    src.github_bearer = get("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
    if (!src.github_url.empty() && !src.github_bearer.empty()) return src;
    throw UsageError(
        "--login workloadidentity needs --federated-token-file (or AZURE_FEDERATED_TOKEN_FILE, set by the AKS "
        "workload identity webhook), or GitHub Actions' ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN (permissions: "
        "id-token: write)");
}

std::string read_federated_token_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError("cannot read the federated token file " + path + ": " + std::strerror(errno));
    // Bounded read: a wrong path (a device, a huge file) must not fill memory.
    std::string data(kMaxFederatedToken + 1, '\0');
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    data.resize(static_cast<std::size_t>(in.gcount()));
    if (data.size() > kMaxFederatedToken) throw UsageError("the federated token file " + path + " is too large");
    std::string token = trimmed(data);
    if (token.empty()) throw UsageError("the federated token file " + path + " is empty");
    return token;
}

std::string fetch_github_actions_token(HttpClient& http, const FederatedTokenSource& src) {
    const std::string url = src.github_url + (src.github_url.find('?') == std::string::npos ? "?" : "&") +
                            "audience=" + percent_encode(kTokenExchangeAudience);
    // GitHub answers 401/403/404 without an OAuth error when the workflow
    // lacks the permission: that is no transient failure.
    Expect expect = expect_json_field("value");
    expect.final_statuses = {400, 401, 403, 404};
    const auto r =
        http.get(url, expect, {{"Authorization", "bearer " + src.github_bearer}, {"Accept", "application/json"}});
    if (!r.ok())
        throw AuthError("GitHub Actions refused the OIDC token request (HTTP " + std::to_string(r.status) +
                        "); the workflow needs 'permissions: id-token: write'");
    return json_string_field(*parse_json(r.body), "value");
}

Token run_workload_identity_flow(HttpClient& http, const IdentityEndpoints& endpoints, const std::string& client_id,
                                 const std::string& server_id, const std::string& federated_token, std::int64_t now) {
    return run_client_credentials_flow(http, endpoints.token, {client_id, "", federated_token}, app_scope(server_id),
                                       "workload identity sign-in failed", now);
}

}  // namespace aks
