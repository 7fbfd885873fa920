#include "core/login_flow.h"

#include <iostream>

#include "core/auth_code_flow.h"
#include "core/cli_token_flow.h"
#include "core/client_assertion.h"
#include "core/client_credentials_flow.h"
#include "core/device_code_flow.h"
#include "core/errors.h"
#include "core/identity_endpoints.h"
#include "core/loopback_redirect_listener.h"
#include "core/managed_identity_flow.h"
#include "core/oidc_discovery.h"
#include "core/refresh_flow.h"
#include "core/ropc_flow.h"
#include "core/workload_identity_flow.h"

namespace aks {
namespace {

std::ostream& prompt_of(const LoginFlowDeps& d) { return d.prompt ? *d.prompt : std::cerr; }

// Where a user flow goes and what it asks for: Entra, or the generic OIDC
// provider named by --oidc-issuer-url.
struct UserFlowTarget {
    IdentityEndpoints endpoints;
    std::string scope;
};

UserFlowTarget user_flow_target(const LoginSettings& s, HttpClient& http, const LoginFlowDeps& d) {
    if (s.oidc_issuer_url.empty()) return {entra_endpoints(s), user_flow_scope(s)};
    return {discover_oidc_endpoints(http, s.oidc_issuer_url, d.cache_dir, d.clock), oidc_scope(s.oidc_extra_scopes)};
}

Token run_spn(const LoginSettings& s, const PreparedLogin& p, const LoginFlowDeps& d) {
    HttpClient http(d.http);
    const IdentityEndpoints endpoints = entra_endpoints(s);
    ClientCredentials c{s.client_id, s.client_secret, {}};
    // A certificate wins over a secret, as in kubelogin.
    if (p.certificate) c.client_assertion = make_client_assertion(*p.certificate, s.client_id, endpoints.token, d.clock());
    return run_client_credentials_flow(http, endpoints.token, c, app_scope(s.server_id),
                                       "service principal sign-in failed", d.clock());
}

Token run_workload_identity(const LoginSettings& s, const PreparedLogin& p, const LoginFlowDeps& d) {
    HttpClient http(d.http);
    std::string assertion = p.federated_token;
    if (assertion.empty()) assertion = fetch_github_actions_token(http, federated_token_source(s.federated_token_file, d.env));
    return run_workload_identity_flow(http, entra_endpoints(s), s.client_id, s.server_id, assertion, d.clock());
}

Token run_msi(const LoginSettings& s, const LoginFlowDeps& d) {
    HttpClientOptions o = d.http;
    o.use_proxy = false;  // IMDS must never go through HTTPS_PROXY
    o.connect_timeout_seconds = 3;
    // IMDS's guidance: a few more tries, starting at a second (404/410 last a while).
    o.max_attempts = 5;
    o.first_backoff_ms = 1000;
    HttpClient http(o);
    ManagedIdentityRequest r{s.server_id, s.client_id, s.identity_object_id, s.identity_resource_id};
    return run_managed_identity_flow(http, r, d.env, d.clock);
}

}  // namespace

bool supported_login_mode(const std::string& mode) {
    for (const char* m : {"devicecode", "interactive", "spn", "workloadidentity", "msi", "azurecli", "azd", "ropc"}) {
        if (mode == m) return true;
    }
    return false;
}

Presence presence_needed(const LoginSettings& s) {
    if (s.login_mode == "devicecode") return Presence::terminal;
    if (s.login_mode == "interactive") return Presence::browser;
    return Presence::none;
}

bool uses_refresh_token(const LoginSettings& s) {
    return s.login_mode == "devicecode" || s.login_mode == "interactive" || s.login_mode == "ropc";
}

PreparedLogin prepare_login(const LoginSettings& s, const EnvLookup& env) {
    PreparedLogin p;
    if (s.login_mode == "spn" && !s.client_certificate.empty())
        p.certificate = load_client_certificate(s.client_certificate, s.client_certificate_password);
    if (s.login_mode == "workloadidentity") {
        const FederatedTokenSource src = federated_token_source(s.federated_token_file, env);
        // Read on every token request: the kubelet rotates the file.
        if (!src.file.empty()) p.federated_token = read_federated_token_file(src.file);
    }
    if (s.login_mode == "interactive" && !s.redirect_url.empty()) check_redirect_url(s.redirect_url);
    if (s.login_mode == "ropc" && s.password.empty())
        throw UsageError("--password is required for --login ropc (or set AAD_USER_PRINCIPAL_PASSWORD or AZURE_PASSWORD)");
    return p;
}

Token run_login_flow(const LoginSettings& s, const PreparedLogin& p, const LoginFlowDeps& d) {
    if (s.login_mode == "spn") return run_spn(s, p, d);
    if (s.login_mode == "workloadidentity") return run_workload_identity(s, p, d);
    if (s.login_mode == "msi") return run_msi(s, d);
    if (s.login_mode == "azurecli") return run_azure_cli_flow(s, d.run_process, d.clock());
    if (s.login_mode == "azd") return run_azd_flow(s, d.run_process, d.clock());
    if (s.login_mode == "interactive") {
        HttpClient http(d.http);
        const UserFlowTarget target = user_flow_target(s, http, d);
        if (target.endpoints.authorize.empty())
            throw AuthError(s.oidc_issuer_url + " offers no authorization endpoint; use --login devicecode");
        // Entra shows its account picker; other providers may not know select_account.
        AuthCodeParams params{target.endpoints, s.client_id,      target.scope,
                              s.login_hint,     s.redirect_url,   s.timeout_seconds,
                              s.oidc_issuer_url.empty() ? "select_account" : ""};
        SignInStatus plain(prompt_of(d));
        return run_auth_code_flow(http, params, d.open_browser ? d.open_browser : system_browser(d.env),
                                  d.status ? *d.status : plain, d.clock);
    }
    if (s.login_mode == "ropc") {
        HttpClient http(d.http);
        RopcParams params{entra_endpoints(s), s.client_id, user_flow_scope(s), s.username, s.password};
        return run_ropc_flow(http, params, d.clock());
    }
    if (s.login_mode == "devicecode") {
        HttpClient http(d.http);
        const UserFlowTarget target = user_flow_target(s, http, d);
        if (target.endpoints.device_code.empty())
            throw AuthError(s.oidc_issuer_url + " offers no device authorization endpoint; use --login interactive");
        DeviceCodeParams params{target.endpoints, s.client_id, target.scope, s.timeout_seconds};
        SignInStatus plain(prompt_of(d));
        return run_device_code_flow(http, params, d.status ? *d.status : plain, d.clock, d.sleep);
    }
    throw UsageError("--login " + s.login_mode + " is not supported yet by aks-token");
}

Token run_refresh(const LoginSettings& s, const std::string& refresh_token, const LoginFlowDeps& d) {
    HttpClient http(d.http);
    const UserFlowTarget target = user_flow_target(s, http, d);
    // A generic provider may have granted less than asked (offline_access
    // needs consent at oidc-provider): renew what was granted.
    const std::string scope = s.oidc_issuer_url.empty() ? target.scope : std::string();
    return redeem_refresh_token(http, target.endpoints, s.client_id, scope, refresh_token, d.clock());
}

}  // namespace aks
