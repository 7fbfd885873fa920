#include "core/managed_identity_flow.h"

#include "core/errors.h"
#include "core/oauth_error.h"
#include "core/terminal_text.h"
#include "core/token_response.h"
#include "core/url.h"

namespace aks {
namespace {

constexpr const char* kImdsHost = "http://169.254.169.254";
constexpr const char* kWhat = "managed identity sign-in failed";

std::string env_value(const EnvLookup& env, const char* name) {
    return env ? env(name).value_or("") : std::string();
}

std::string strip_slash(std::string s) {
    while (!s.empty() && s.back() == '/') s.pop_back();
    return s;
}

std::string append_query(const std::string& url, const std::string& query) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + query;
}

std::string identity_named(const ManagedIdentityRequest& r) {
    if (!r.resource_id.empty()) return "the identity " + r.resource_id;
    if (!r.client_id.empty()) return "the identity with client id " + r.client_id;
    if (!r.object_id.empty()) return "the identity with object id " + r.object_id;
    return "a system-assigned identity";
}

// IMDS's 400 "Identity not found" (and a 404 that stays): nothing is assigned.
std::string identity_not_found(const ManagedIdentityRequest& r, const std::string& detail) {
    return std::string(kWhat) + ": " + terminal_line(detail) + ". Advice: assign " + identity_named(r) +
           " to this VM, node pool or pod, or name an assigned one with --client-id or --identity-resource-id";
}

}  // namespace

ManagedIdentityEndpoint managed_identity_endpoint(const ManagedIdentityRequest& r, const EnvLookup& env) {
    ManagedIdentityEndpoint e;
    const std::string identity_endpoint = env_value(env, "IDENTITY_ENDPOINT");
    const std::string identity_header = env_value(env, "IDENTITY_HEADER");
    const std::string msi_endpoint = env_value(env, "MSI_ENDPOINT");
    std::string q;
    if (!identity_endpoint.empty() && !identity_header.empty()) {
        e.source = ManagedIdentitySource::app_service;
        e.secret = identity_header;
        q = "api-version=2019-08-01&resource=" + percent_encode(r.resource);
        if (!r.client_id.empty()) q += "&client_id=" + percent_encode(r.client_id);
        if (!r.object_id.empty()) q += "&principal_id=" + percent_encode(r.object_id);
        if (!r.resource_id.empty()) q += "&mi_res_id=" + percent_encode(r.resource_id);
        e.url = append_query(identity_endpoint, q);
        return e;
    }
    if (!msi_endpoint.empty()) {
        e.source = ManagedIdentitySource::cloud_shell;
        e.url = msi_endpoint;  // POST, form body
        return e;
    }
    std::string base = strip_slash(env_value(env, "AZURE_POD_IDENTITY_AUTHORITY_HOST"));
    if (base.empty()) base = kImdsHost;
    q = "api-version=2018-02-01&resource=" + percent_encode(r.resource);
    if (!r.client_id.empty()) q += "&client_id=" + percent_encode(r.client_id);
    if (!r.object_id.empty()) q += "&object_id=" + percent_encode(r.object_id);
    if (!r.resource_id.empty()) q += "&msi_res_id=" + percent_encode(r.resource_id);
    e.url = base + "/metadata/identity/oauth2/token?" + q;
    return e;
}

Token run_managed_identity_flow(HttpClient& http, const ManagedIdentityRequest& r, const EnvLookup& env,
                                const Clock& clock) {
    const ManagedIdentityEndpoint e = managed_identity_endpoint(r, env);
    // IMDS answers 404 while an identity is being assigned and 410 while it
    // upgrades: transient here, as in MSAL (microsoft-authentication-library-for-go,
    // apps/managedidentity/managedidentity.go, retryCodesForIMDS).
    Expect expect = expect_token_response();
    expect.transient_statuses = {404, 410};
    HttpResponse resp;
    try {
        switch (e.source) {
            case ManagedIdentitySource::app_service:
                resp = http.get(e.url, expect, {{"X-IDENTITY-HEADER", e.secret}});
                break;
            case ManagedIdentitySource::cloud_shell: {
                std::multimap<std::string, std::string> form{{"resource", r.resource}};
                if (!r.client_id.empty()) form.emplace("client_id", r.client_id);
                if (!r.resource_id.empty()) form.emplace("msi_res_id", r.resource_id);
                resp = http.post_form(e.url, form, expect, {{"Metadata", "true"}});
                break;
            }
            case ManagedIdentitySource::imds:
                resp = http.get(e.url, expect, {{"Metadata", "true"}});
                break;
        }
    } catch (const TransportError& err) {
        if (err.status == 404) throw AuthError(identity_not_found(r, "HTTP 404"));
        throw TransportError(std::string(kWhat) + ": " + err.what() +
                                 ". Advice: managed identity works only on Azure (VM, AKS pod, App Service, "
                                 "Cloud Shell); elsewhere use another --login",
                             err.status);
    }
    if (!resp.error) return parse_token_response(resp.body, clock());
    if (resp.status == 400) {
        const OAuthError& oe = *resp.error;
        throw AuthError(identity_not_found(r, oe.error_description.empty() ? oe.error : oe.error_description));
    }
    throw_oauth_error(kWhat, *resp.error);
}

}  // namespace aks
