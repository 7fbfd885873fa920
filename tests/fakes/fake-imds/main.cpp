// fake-imds: loopback plain-HTTP stand-ins for the token endpoints that live
// next to a workload rather than in Entra, with their exact request rules:
//   GET  /metadata/identity/oauth2/token   Azure IMDS (Metadata: true, api-version, resource)
//   GET  /msi/token                        App Service / Functions (X-IDENTITY-HEADER, api-version 2019-08-01)
//   POST /cloudshell/token                 Cloud Shell's MSI_ENDPOINT (Metadata: true, form resource)
//   GET  /github/token                     GitHub Actions' OIDC token (Authorization: bearer, audience)
// Numbers go out as strings, as the real endpoints send them. Access tokens
// are unsigned-looking JWTs with Entra's v1 claims (nobody verifies them here).
// Control: POST /_control/config, POST /_control/fail {"status":N,"count":K},
// GET /_control/counters.
#include <httplib.h>
#include <openssl/rand.h>
#include <picojson.h>

#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>

namespace {

struct Identity {
    std::string client_id, object_id, resource_id;
};

struct State {
    std::mutex mu;
    // [0] is the system-assigned identity; the others are user-assigned.
    std::vector<Identity> identities = {
        {"5a1b2c3d-0000-4000-8000-000000000001", "9e8d7c6b-0000-4000-8000-000000000001", ""},
        {"5a1b2c3d-0000-4000-8000-000000000002", "9e8d7c6b-0000-4000-8000-000000000002",
         "/subscriptions/0000/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id2"}};
    std::string tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    std::string identity_header = "app-service-secret";
    std::string github_bearer = "github-request-token";
    std::string github_subject = "repo:contoso/app:ref:refs/heads/main";
    std::int64_t lifetime = 86400;
    int fail_status = 0, fail_count = 0;
    std::int64_t imds = 0, app_service = 0, cloud_shell = 0, github = 0, proxied = 0;
};

std::string b64url(const std::string& in) {
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    unsigned v = 0;
    int bits = 0;
    for (unsigned char c : in) {
        v = (v << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += t[(v >> bits) & 63];
        }
    }
    if (bits > 0) out += t[(v << (6 - bits)) & 63];
    return out;
}

std::string random_b64(std::size_t n) {
    std::string b(n, '\0');
    RAND_bytes(reinterpret_cast<unsigned char*>(b.data()), static_cast<int>(n));
    return b64url(b);
}

std::string jwt(const picojson::object& claims) {
    return b64url(R"({"typ":"JWT","alg":"RS256","kid":"fake-imds"})") + "." +
           b64url(picojson::value(claims).serialize()) + "." + random_b64(64);
}

picojson::value n(std::int64_t v) { return picojson::value(static_cast<double>(v)); }
picojson::value s(const std::string& v) { return picojson::value(v); }

void send(httplib::Response& res, int status, const picojson::object& o) {
    res.status = status;
    res.set_content(picojson::value(o).serialize(), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& error, const std::string& description) {
    send(res, status, {{"error", s(error)}, {"error_description", s(description)}});
}

// Consumes one injected failure; true when it answered.
bool injected(State& st, httplib::Response& res) {
    std::lock_guard<std::mutex> g(st.mu);
    if (st.fail_count <= 0) return false;
    --st.fail_count;
    send_error(res, st.fail_status, "temporarily_unavailable", "injected failure");
    return true;
}

// The identity a request names (client_id / object_id|principal_id / msi_res_id), or nullptr.
const Identity* select(const State& st, const std::string& client_id, const std::string& object_id,
                       const std::string& resource_id) {
    const int given = !client_id.empty() + !object_id.empty() + !resource_id.empty();
    if (given == 0) return &st.identities[0];
    if (given > 1) return nullptr;
    for (const auto& id : st.identities) {
        if ((!client_id.empty() && id.client_id == client_id) || (!object_id.empty() && id.object_id == object_id) ||
            (!resource_id.empty() && !id.resource_id.empty() && id.resource_id == resource_id))
            return &id;
    }
    return nullptr;
}

picojson::object token_body(const State& st, const Identity& id, const std::string& resource) {
    const std::int64_t now = std::time(nullptr), exp = now + st.lifetime;
    const std::string access = jwt({{"aud", s(resource)},
                                    {"iss", s("https://sts.windows.net/" + st.tenant + "/")},
                                    {"iat", n(now)},
                                    {"nbf", n(now)},
                                    {"exp", n(exp)},
                                    {"appid", s(id.client_id)},
                                    {"oid", s(id.object_id)},
                                    {"sub", s(id.object_id)},
                                    {"tid", s(st.tenant)},
                                    {"idtyp", s("app")},
                                    {"xms_mirid", s(id.resource_id)}});
    return {{"access_token", s(access)},
            {"client_id", s(id.client_id)},
            {"expires_in", s(std::to_string(st.lifetime))},
            {"expires_on", s(std::to_string(exp))},
            {"ext_expires_in", s(std::to_string(st.lifetime))},
            {"not_before", s(std::to_string(now))},
            {"resource", s(resource)},
            {"token_type", s("Bearer")}};
}

void note_proxy(State& st, const httplib::Request& req) {
    // A request that came through an HTTP proxy carries an absolute URI or Via.
    if (req.has_header("Via") || req.target.rfind("http", 0) == 0) {
        std::lock_guard<std::mutex> g(st.mu);
        ++st.proxied;
    }
}

// Both take a v1 resource (never a v2 scope such as "<id>/.default") and name
// a user-assigned identity with their own parameter names.
void answer(State& st, const httplib::Request& req, httplib::Response& res, const char* object_id_param,
            const char* resource_id_param) {
    const std::string resource = req.get_param_value("resource");
    if (resource.empty()) return send_error(res, 400, "invalid_request", "Required query variable 'resource' is missing");
    if (resource.find("/.default") != std::string::npos)
        return send_error(res, 400, "invalid_resource", "resource must not be a scope ending in /.default");
    std::lock_guard<std::mutex> g(st.mu);
    const Identity* id = select(st, req.get_param_value("client_id"), req.get_param_value(object_id_param),
                                req.get_param_value(resource_id_param));
    if (!id) return send_error(res, 400, "invalid_request", "Identity not found");
    send(res, 200, token_body(st, *id, resource));
}

void imds(State& st, const httplib::Request& req, httplib::Response& res) {
    {
        std::lock_guard<std::mutex> g(st.mu);
        ++st.imds;
    }
    note_proxy(st, req);
    if (req.get_header_value("Metadata") != "true")
        return send_error(res, 400, "invalid_request", "Required metadata header not specified");
    if (injected(st, res)) return;
    if (req.get_param_value("api-version").empty())
        return send_error(res, 400, "invalid_request", "Required query variable 'api-version' is missing");
    answer(st, req, res, "object_id", "msi_res_id");
}

void app_service(State& st, const httplib::Request& req, httplib::Response& res) {
    {
        std::lock_guard<std::mutex> g(st.mu);
        ++st.app_service;
    }
    note_proxy(st, req);
    {
        std::lock_guard<std::mutex> g(st.mu);
        if (req.get_header_value("X-IDENTITY-HEADER") != st.identity_header)
            return send_error(res, 401, "invalid_request", "X-IDENTITY-HEADER is missing or wrong");
    }
    if (injected(st, res)) return;
    if (req.get_param_value("api-version") != "2019-08-01")
        return send_error(res, 400, "invalid_request", "api-version must be 2019-08-01");
    answer(st, req, res, "principal_id", "mi_res_id");
}

void cloud_shell(State& st, const httplib::Request& req, httplib::Response& res) {
    {
        std::lock_guard<std::mutex> g(st.mu);
        ++st.cloud_shell;
    }
    if (req.get_header_value("Metadata") != "true")
        return send_error(res, 400, "invalid_request", "Required metadata header not specified");
    if (injected(st, res)) return;
    const std::string resource = req.get_param_value("resource");
    if (resource.empty()) return send_error(res, 400, "invalid_request", "resource is missing");
    std::lock_guard<std::mutex> g(st.mu);
    send(res, 200, token_body(st, st.identities[0], resource));
}

void github(State& st, const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> g(st.mu);
    ++st.github;
    if (req.get_header_value("Authorization") != "bearer " + st.github_bearer)
        return send_error(res, 401, "unauthorized", "bad request token");
    const std::string audience = req.get_param_value("audience");
    const std::int64_t now = std::time(nullptr);
    const std::string token = jwt({{"iss", s("https://token.actions.githubusercontent.com")},
                                   {"sub", s(st.github_subject)},
                                   {"aud", s(audience.empty() ? "https://github.com/contoso" : audience)},
                                   {"iat", n(now)},
                                   {"nbf", n(now)},
                                   {"exp", n(now + 300)}});
    send(res, 200, {{"count", n(1)}, {"value", s(token)}});
}

void control_config(State& st, const httplib::Request& req, httplib::Response& res) {
    picojson::value v;
    if (!picojson::parse(v, req.body.empty() ? "{}" : req.body).empty() || !v.is<picojson::object>())
        return send_error(res, 400, "bad_json", "body must be a JSON object");
    std::lock_guard<std::mutex> g(st.mu);
    for (const auto& [key, val] : v.get<picojson::object>()) {
        if (key == "lifetime" && val.is<double>()) st.lifetime = static_cast<std::int64_t>(val.get<double>());
        else if (key == "identity_header" && val.is<std::string>()) st.identity_header = val.get<std::string>();
        else if (key == "github_subject" && val.is<std::string>()) st.github_subject = val.get<std::string>();
        else if (key == "tenant" && val.is<std::string>()) st.tenant = val.get<std::string>();
        else return send_error(res, 400, "bad_field", "unknown or mistyped field " + key);
    }
    send(res, 200, {{"ok", picojson::value(true)}});
}

void control_fail(State& st, const httplib::Request& req, httplib::Response& res) {
    picojson::value v;
    if (!picojson::parse(v, req.body).empty() || !v.is<picojson::object>() || !v.get("status").is<double>())
        return send_error(res, 400, "bad_json", "{\"status\":N,\"count\":K} expected");
    std::lock_guard<std::mutex> g(st.mu);
    st.fail_status = static_cast<int>(v.get("status").get<double>());
    st.fail_count = v.get("count").is<double>() ? static_cast<int>(v.get("count").get<double>()) : 1;
    send(res, 200, {{"ok", picojson::value(true)}});
}

void control_counters(State& st, httplib::Response& res) {
    std::lock_guard<std::mutex> g(st.mu);
    send(res, 200, {{"imds", n(st.imds)}, {"app_service", n(st.app_service)}, {"cloud_shell", n(st.cloud_shell)},
                    {"github", n(st.github)}, {"proxied", n(st.proxied)}});
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);  // a client gone mid-write is an error, not the fake's end
    std::string port_file;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--port-file" && i + 1 < argc) port_file = argv[++i];
        else {
            std::cerr << "usage: fake-imds --port-file FILE\n";
            return 2;
        }
    }
    State st;
    httplib::Server server;
    server.Get("/metadata/identity/oauth2/token",
               [&](const httplib::Request& q, httplib::Response& r) { imds(st, q, r); });
    server.Get("/msi/token", [&](const httplib::Request& q, httplib::Response& r) { app_service(st, q, r); });
    server.Post("/cloudshell/token", [&](const httplib::Request& q, httplib::Response& r) { cloud_shell(st, q, r); });
    server.Get("/github/token", [&](const httplib::Request& q, httplib::Response& r) { github(st, q, r); });
    server.Post("/_control/config", [&](const httplib::Request& q, httplib::Response& r) { control_config(st, q, r); });
    server.Post("/_control/fail", [&](const httplib::Request& q, httplib::Response& r) { control_fail(st, q, r); });
    server.Get("/_control/counters", [&](const httplib::Request&, httplib::Response& r) { control_counters(st, r); });

    const int port = server.bind_to_any_port("127.0.0.1");
    if (port <= 0) {
        std::cerr << "fake-imds: cannot listen on 127.0.0.1\n";
        return 1;
    }
    if (!port_file.empty()) {
        const std::string tmp = port_file + ".tmp";
        std::ofstream(tmp) << port << "\n";
        std::rename(tmp.c_str(), port_file.c_str());
    }
    std::cerr << "fake-imds listening on http://127.0.0.1:" << port << std::endl;
    std::signal(SIGTERM, SIG_DFL);
    server.listen_after_bind();
    return 0;
}
