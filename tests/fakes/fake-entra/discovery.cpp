// OpenID discovery documents (v2 and v1) and the JWKS that verifies tokens.
#include "tests/fakes/fake-entra/faults.h"
#include "tests/fakes/fake-entra/json.h"
#include "tests/fakes/fake-entra/routes.h"
#include "tests/fakes/fake-entra/wire.h"

namespace aks::fake_entra {
namespace {

// What both discovery versions derive from the request's tenant segment.
struct DiscoveryTenant {
    std::string base;        // base URL + "/" + the tenant as asked
    std::string issuer_tid;  // the tenant id in the issuer
};

// Applies faults and resolves the tenant; false when `res` already holds the answer.
void count_discovery(Fake& fake) {
    std::lock_guard<std::mutex> lock(fake.mu);
    ++fake.state.counters.discovery;
}

bool discovery_tenant(Fake& fake, const httplib::Request& req, httplib::Response& res, DiscoveryTenant& out) {
    count_discovery(fake);
    if (apply_fault(fake, req, res)) return false;
    const std::string tenant = req.matches[1];
    std::string tid;
    if (!resolve_tenant(fake, tenant, tid, res)) return false;
    out.base = fake.base_url + "/" + tenant;
    // Like Entra, the multi-tenant aliases advertise a templated issuer.
    out.issuer_tid = is_tenant_alias(tenant) && fake.tenant_restriction.empty() ? "{tenantid}" : tid;
    return true;
}

void openid_configuration_v2(Fake& fake, const httplib::Request& req, httplib::Response& res) {
    DiscoveryTenant t;
    if (!discovery_tenant(fake, req, res, t)) return;
    const std::string& base = t.base;
    const std::string& issuer_tid = t.issuer_tid;
    send_json(
        res, 200,
        OrderedJson()
            .add("token_endpoint", base + "/oauth2/v2.0/token")
            .add("token_endpoint_auth_methods_supported",
                 string_array({"client_secret_post", "private_key_jwt", "client_secret_basic"}))
            .add("jwks_uri", base + "/discovery/v2.0/keys")
            .add("response_modes_supported", string_array({"query", "fragment", "form_post"}))
            .add("subject_types_supported", string_array({"pairwise"}))
            .add("id_token_signing_alg_values_supported", string_array({"RS256"}))
            .add("response_types_supported",
                 string_array({"code", "id_token", "code id_token", "id_token token"}))
            .add("scopes_supported", string_array({"openid", "profile", "email", "offline_access"}))
            .add("issuer", fake.base_url + "/" + issuer_tid + "/v2.0")
            .add("request_uri_parameter_supported", false)
            .add("userinfo_endpoint", fake.base_url + "/oidc/userinfo")
            .add("authorization_endpoint", base + "/oauth2/v2.0/authorize")
            .add("device_authorization_endpoint", base + "/oauth2/v2.0/devicecode")
            .add("http_logout_supported", true)
            .add("frontchannel_logout_supported", true)
            .add("end_session_endpoint", base + "/oauth2/v2.0/logout")
            .add("claims_supported",
                 string_array({"sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce",
                               "preferred_username", "name", "tid", "ver", "at_hash", "c_hash",
                               "email"}))
            .add("code_challenge_methods_supported", string_array({"plain", "S256"}))
            .add("tenant_region_scope", "NA")
            .add("cloud_instance_name", "microsoftonline.com")
            .add("cloud_graph_host_name", "graph.windows.net")
            .add("msgraph_host", "graph.microsoft.com")
            .str());
}

void openid_configuration_v1(Fake& fake, const httplib::Request& req, httplib::Response& res) {
    DiscoveryTenant t;
    if (!discovery_tenant(fake, req, res, t)) return;
    const std::string& base = t.base;
    const std::string& issuer_tid = t.issuer_tid;
    send_json(res, 200,
              OrderedJson()
                  .add("token_endpoint", base + "/oauth2/token")
                  .add("jwks_uri", fake.base_url + "/common/discovery/keys")
                  .add("id_token_signing_alg_values_supported", string_array({"RS256"}))
                  .add("issuer", "https://sts.windows.net/" + issuer_tid + "/")
                  .add("authorization_endpoint", base + "/oauth2/authorize")
                  .add("device_authorization_endpoint", base + "/oauth2/devicecode")
                  .str());
}

void jwks(Fake& fake, const httplib::Request& req, httplib::Response& res) {
    count_discovery(fake);
    if (apply_fault(fake, req, res)) return;
    const std::string key = OrderedJson()
                                .add("kty", "RSA")
                                .add("use", "sig")
                                .add("kid", fake.signer.kid())
                                .add("n", fake.signer.n())
                                .add("e", fake.signer.e())
                                .add("alg", "RS256")
                                .str();
    send_json(res, 200, "{\"keys\":[" + key + "]}");
}

}  // namespace

void register_discovery(httplib::Server& server, Fake& fake) {
    auto bind = [&fake](void (*fn)(Fake&, const httplib::Request&, httplib::Response&)) {
        return [&fake, fn](const httplib::Request& req, httplib::Response& res) { fn(fake, req, res); };
    };
    server.Get(R"(/([^/]+)/v2\.0/\.well-known/openid-configuration)", bind(openid_configuration_v2));
    server.Get(R"(/([^/]+)/\.well-known/openid-configuration)", bind(openid_configuration_v1));
    server.Get(R"(/([^/]+)/discovery/v2\.0/keys)", bind(jwks));
    server.Get(R"(/([^/]+)/discovery/keys)", bind(jwks));
    server.Get(R"(/discovery/keys)", bind(jwks));
}

}  // namespace aks::fake_entra
