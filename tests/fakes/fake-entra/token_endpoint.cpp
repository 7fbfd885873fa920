// POST /{tenant}/oauth2/v2.0/token: counts, faults, then one handler per grant.
#include "tests/fakes/fake-entra/assertion_check.h"
#include "tests/fakes/fake-entra/faults.h"
#include "tests/fakes/fake-entra/routes.h"
#include "tests/fakes/fake-entra/token_issuer.h"
#include "tests/fakes/fake-entra/wire.h"

namespace aks::fake_entra {
namespace {

const char kJwtBearer[] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

void count_grant(Fake& fake, const std::string& grant) {
    std::lock_guard<std::mutex> lock(fake.mu);
    Counters& c = fake.state.counters;
    if (grant == kDeviceCodeGrant) ++c.token_device_code;
    else if (grant == "refresh_token") ++c.token_refresh_token;
    else if (grant == "client_credentials") ++c.token_client_credentials;
    else if (grant == "authorization_code") ++c.token_authorization_code;
    else if (grant == "password") ++c.token_password;
    else ++c.token_other;
}

// The new tokens keep the tenant of the original sign-in.
void redeem_refresh_token(Fake& fake, const httplib::Request& req, httplib::Response& res) {
    const std::string rt = req.get_param_value("refresh_token");
    const std::string client_id = req.get_param_value("client_id");
    if (rt.empty()) return send_missing_parameter(res, "refresh_token");

    std::lock_guard<std::mutex> lock(fake.mu);
    State& st = fake.state;
    auto it = st.refresh_tokens.find(rt);
    if (!st.config.refresh_token_valid || it == st.refresh_tokens.end())
        return send_entra_error(res, 400, "invalid_grant", 70043,
                                "The refresh token has expired or is invalid due to sign-in "
                                "frequency checks by conditional access.");
    if (it->second.client_id != client_id)
        return send_entra_error(res, 400, "invalid_grant", 70000,
                                "Provided grant is invalid or malformed.");
    Grant g = it->second;
    if (st.config.refresh_token_single_use) st.refresh_tokens.erase(it);  // rotation: the old one stops working
    if (req.has_param("scope")) g.scope = req.get_param_value("scope");
    g.who = configured_identity(fake);
    g.nonce.clear();
    send_json(res, 200, issue_token_response(fake, g, true));
}

bool looks_like_jwt(const std::string& s) {
    const auto first = s.find('.');
    return first != std::string::npos && first > 0 && s.find('.', first + 1) != std::string::npos;
}

void client_credentials(Fake& fake, const httplib::Request& req, httplib::Response& res,
                        const std::string& tid) {
    const std::string client_id = req.get_param_value("client_id");
    const std::string scope = req.get_param_value("scope");
    const std::string secret = req.get_param_value("client_secret");
    const std::string assertion = req.get_param_value("client_assertion");
    Grant g;
    if (!secret.empty()) {
        g.appidacr = "1";
        std::lock_guard<std::mutex> lock(fake.mu);
        const std::string& want = fake.state.config.client_secret;
        if (!want.empty() && secret != want)
            return send_entra_error(res, 401, "invalid_client", 7000215,
                                    "Invalid client secret provided. Ensure the secret being sent "
                                    "in the request is the client secret value, not the client "
                                    "secret ID, for a secret added to app '" + client_id + "'.");
    } else if (!assertion.empty()) {
        g.appidacr = "2";
        const std::string type = req.get_param_value("client_assertion_type");
        if (type.empty()) return send_missing_parameter(res, "client_assertion_type");
        if (type != kJwtBearer)
            return send_entra_error(res, 400, "invalid_request", 9002313,
                                    "Invalid request. Request is malformed or invalid.");
        if (!looks_like_jwt(assertion))
            return send_entra_error(res, 401, "invalid_client", 50027,
                                    "JWT token is invalid or malformed.");
        const std::string endpoint = fake.base_url + "/" + req.matches[1].str() + "/oauth2/v2.0/token";
        if (!check_client_assertion(fake, assertion, client_id, endpoint, res)) return;
    } else {
        return send_entra_error(res, 401, "invalid_client", 7000218,
                                "The request body must contain the following parameter: "
                                "'client_assertion' or 'client_secret'.");
    }
    if (scope.empty()) return send_missing_parameter(res, "scope");
    if (scope.size() < 9 || scope.compare(scope.size() - 9, 9, "/.default") != 0 ||
        scope.find(' ') != std::string::npos)
        return send_entra_error(res, 400, "invalid_scope", 1002012,
                                "The provided value for scope " + scope +
                                    " is not valid. Client credential flows must have a scope "
                                    "value with /.default suffixed to the resource identifier "
                                    "(application ID URI).");
    g.client_id = client_id;
    g.scope = scope;
    g.tid = tid;
    g.user = false;
    std::lock_guard<std::mutex> lock(fake.mu);
    send_json(res, 200, issue_token_response(fake, g, false));
}

// Resource owner password credentials (ROPC): the configured user, the
// configured password (any non-empty one when none is configured).
void password_grant(Fake& fake, const httplib::Request& req, httplib::Response& res,
                    const std::string& tid) {
    const std::string username = req.get_param_value("username");
    const std::string password = req.get_param_value("password");
    const std::string scope = req.get_param_value("scope");
    if (username.empty()) return send_missing_parameter(res, "username");
    if (password.empty()) return send_missing_parameter(res, "password");
    if (scope.empty()) return send_missing_parameter(res, "scope");
    std::lock_guard<std::mutex> lock(fake.mu);
    const Config& c = fake.state.config;
    if (username != c.upn || (!c.password.empty() && password != c.password))
        return send_entra_error(res, 400, "invalid_grant", 50126,
                                "Error validating credentials due to invalid username or password.");
    Grant g;
    g.client_id = req.get_param_value("client_id");
    g.scope = scope;
    g.tid = tid;
    g.who = configured_identity(fake);
    send_json(res, 200, issue_token_response(fake, g, scope_has(scope, "offline_access")));
}

void token_request(Fake& fake, const httplib::Request& req, httplib::Response& res) {
    const std::string grant = req.get_param_value("grant_type");
    count_grant(fake, grant);
    if (apply_fault(fake, req, res)) return;
    std::string tid;
    if (!resolve_tenant(fake, req.matches[1], tid, res)) return;
    if (grant.empty()) return send_missing_parameter(res, "grant_type");
    if (req.get_param_value("client_id").empty()) return send_missing_parameter(res, "client_id");
    if (grant == kDeviceCodeGrant) return redeem_device_code(fake, req, res);
    if (grant == "refresh_token") return redeem_refresh_token(fake, req, res);
    if (grant == "client_credentials") return client_credentials(fake, req, res, tid);
    if (grant == "authorization_code") return redeem_authorization_code(fake, req, res);
    if (grant == "password") return password_grant(fake, req, res, tid);
    send_entra_error(res, 400, "unsupported_grant_type", 70003,
                     "The app requested an unsupported grant type '" + grant + "'.");
}

}  // namespace

void register_token_endpoint(httplib::Server& server, Fake& fake) {
    server.Post(R"(/([^/]+)/oauth2/v2\.0/token)",
                [&fake](const httplib::Request& req, httplib::Response& res) {
                    token_request(fake, req, res);
                });
}

}  // namespace aks::fake_entra
