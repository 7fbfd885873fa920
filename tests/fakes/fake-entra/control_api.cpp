// /_control/*: what tests use to steer the fake and read what it saw.
// JSON in, JSON out; never faulted; not part of Entra's interface.
#include "tests/fakes/fake-entra/faults.h"
#include "tests/fakes/fake-entra/json.h"
#include "tests/fakes/fake-entra/routes.h"
#include "tests/fakes/fake-entra/token_issuer.h"
#include "tests/fakes/fake-entra/wire.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <stdexcept>

namespace aks::fake_entra {
namespace {

using Handler = std::function<void(Fake&, const picojson::object&, httplib::Response&)>;

void reply(httplib::Response& res, int status, const picojson::object& o) {
    res.status = status;
    res.set_content(to_json(picojson::value(o)), "application/json");
}

void reply_error(httplib::Response& res, int status, const std::string& message) {
    reply(res, status, picojson::object{{"error", picojson::value(message)}});
}

picojson::value num(std::int64_t n) { return picojson::value(static_cast<double>(n)); }

picojson::object config_json(const Config& c) {
    return {{"lifetime", num(c.lifetime)},
            {"interval", num(c.interval)},
            {"expires_in", num(c.expires_in)},
            {"auto_approve_after", num(c.auto_approve_after)},
            {"string_numbers", picojson::value(c.string_numbers)},
            {"upn", picojson::value(c.upn)},
            {"name", picojson::value(c.name)},
            {"oid", picojson::value(c.oid)},
            {"groups", string_array(c.groups)},
            {"refresh_token_valid", picojson::value(c.refresh_token_valid)},
            {"refresh_token_single_use", picojson::value(c.refresh_token_single_use)},
            {"client_secret", picojson::value(c.client_secret)},
            {"authorize_error", picojson::value(c.authorize_error)},
            {"client_certificate", picojson::value(c.client_certificate)},
            {"federated_subject", picojson::value(c.federated_subject)},
            {"password", picojson::value(c.password)},
            {"signin_page", picojson::value(c.signin_page)}};
}

std::int64_t non_negative(const picojson::value& v, const std::string& key) {
    const std::int64_t n = json_int(v, key);
    if (n < 0) throw std::invalid_argument("'" + key + "' must not be negative");
    return n;
}

// Applies the fields of `o` to a copy of `c`; all or nothing.
Config merged_config(Config c, const picojson::object& o) {
    for (const auto& [key, v] : o) {
        if (key == "lifetime") c.lifetime = non_negative(v, key);
        else if (key == "interval") c.interval = non_negative(v, key);
        else if (key == "expires_in") c.expires_in = non_negative(v, key);
        else if (key == "auto_approve_after") {
            c.auto_approve_after = json_int(v, key);
            if (c.auto_approve_after < -1)
                throw std::invalid_argument("'auto_approve_after' must be -1 or more");
        } else if (key == "string_numbers") c.string_numbers = json_bool(v, key);
        else if (key == "upn") c.upn = json_string(v, key);
        else if (key == "name") c.name = json_string(v, key);
        else if (key == "oid") c.oid = json_string(v, key);
        else if (key == "groups") c.groups = json_string_array(v, key);
        else if (key == "refresh_token_valid") c.refresh_token_valid = json_bool(v, key);
        else if (key == "refresh_token_single_use") c.refresh_token_single_use = json_bool(v, key);
        else if (key == "client_secret") c.client_secret = json_string(v, key);
        else if (key == "authorize_error") c.authorize_error = json_string(v, key);
        else if (key == "client_certificate") c.client_certificate = json_string(v, key);
        else if (key == "federated_subject") c.federated_subject = json_string(v, key);
        else if (key == "password") c.password = json_string(v, key);
        else if (key == "signin_page") c.signin_page = json_bool(v, key);
        else throw std::invalid_argument("unknown config field '" + key + "'");
    }
    return c;
}

void get_config(Fake& fake, const picojson::object&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(fake.mu);
    reply(res, 200, config_json(fake.state.config));
}

void post_config(Fake& fake, const picojson::object& body, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(fake.mu);
    fake.state.config = merged_config(fake.state.config, body);
    reply(res, 200, config_json(fake.state.config));
}

std::string normalized(std::string code) {
    code.erase(std::remove(code.begin(), code.end(), '-'), code.end());
    std::transform(code.begin(), code.end(), code.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return code;
}

// approve / decline / expire: one code ({"user_code":...}) or every eligible one ({}).
void set_device_state(Fake& fake, const picojson::object& body, httplib::Response& res,
                      DeviceState to, const char* verb) {
    std::string only;
    if (auto it = body.find("user_code"); it != body.end())
        only = normalized(json_string(it->second, "user_code"));
    for (const auto& [key, v] : body)
        if (key != "user_code") throw std::invalid_argument("unknown field '" + key + "'");

    std::lock_guard<std::mutex> lock(fake.mu);
    const std::int64_t now = now_epoch();
    std::int64_t changed = 0;
    for (auto& [key, d] : fake.state.device_codes) {
        if (!only.empty() && d.user_code != only) continue;
        const bool live = d.state == DeviceState::pending && now < d.expires_at;
        const bool eligible = to == DeviceState::expired
                                  ? d.state == DeviceState::pending || d.state == DeviceState::approved
                                  : live;
        if (!eligible) continue;
        d.state = to;
        if (to == DeviceState::expired) d.expires_at = std::min(d.expires_at, now);
        ++changed;
    }
    if (!only.empty() && changed == 0)
        return reply_error(res, 404, "no pending device code has that user_code");
    reply(res, 200, picojson::object{{verb, num(changed)}});
}

void post_fault(Fake& fake, const picojson::object& body, httplib::Response& res) {
    Fault f = parse_fault(body);
    std::lock_guard<std::mutex> lock(fake.mu);
    fake.state.faults.push_back(std::move(f));
    reply(res, 200, picojson::object{{"queued", num(static_cast<std::int64_t>(fake.state.faults.size()))}});
}

// Drops every queued fault and ends answers still sleeping out a delay.
void clear_faults(Fake& fake, const picojson::object&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(fake.mu);
    const auto cleared = static_cast<std::int64_t>(fake.state.faults.size());
    fake.state.faults.clear();
    ++fake.generation;
    fake.wake.notify_all();
    reply(res, 200, picojson::object{{"cleared", num(cleared)}});
}

void get_faults(Fake& fake, const picojson::object&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(fake.mu);
    reply(res, 200, picojson::object{{"queued", num(static_cast<std::int64_t>(fake.state.faults.size()))}});
}

void get_counters(Fake& fake, const picojson::object&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(fake.mu);
    const Counters& c = fake.state.counters;
    picojson::object token{{"device_code", num(c.token_device_code)},
                           {"refresh_token", num(c.token_refresh_token)},
                           {"client_credentials", num(c.token_client_credentials)},
                           {"authorization_code", num(c.token_authorization_code)},
                           {"password", num(c.token_password)},
                           {"other", num(c.token_other)}};
    reply(res, 200,
          picojson::object{{"devicecode", num(c.devicecode)},
                           {"authorize", num(c.authorize)},
                           {"token", picojson::value(token)},
                           {"token_issued", num(c.token_issued)},
                           {"discovery", num(c.discovery)},
                           {"faults_served", num(c.faults_served)},
                           {"last_user_code", picojson::value(fake.state.last_user_code)}});
}

void reset(Fake& fake, const picojson::object&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(fake.mu);
    fake.state = State{};
    fake.state.config = fake.defaults;
    ++fake.generation;  // answers still sleeping out a delay end now
    fake.wake.notify_all();
    reply(res, 200, picojson::object{{"reset", picojson::value(true)}});
}

void get_pending(Fake& fake, const picojson::object&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(fake.mu);
    const std::int64_t now = now_epoch();
    picojson::array codes;
    for (const auto& [key, d] : fake.state.device_codes)
        if (d.state == DeviceState::pending && now < d.expires_at) codes.emplace_back(d.user_code);
    reply(res, 200, picojson::object{{"pending", picojson::value(codes)}});
}

// A token response for the configured user without running a flow (for
// tests of other programs that only need a valid token). Not counted.
void mint(Fake& fake, const picojson::object& body, httplib::Response& res) {
    Grant g;
    g.client_id = "80faf920-1908-4b52-b5ef-a8e7bedfc67a";
    g.scope = "6dae42f8-4368-4678-94ff-3960e28e3630/.default openid offline_access profile";
    g.tid = fake.tenant_restriction.empty() ? kDefaultTenantId : fake.tenant_restriction;
    std::int64_t lifetime = -1;
    for (const auto& [key, v] : body) {
        if (key == "client_id") g.client_id = json_string(v, key);
        else if (key == "scope") g.scope = json_string(v, key);
        else if (key == "tenant") g.tid = json_string(v, key);
        else if (key == "lifetime") lifetime = non_negative(v, key);
        else if (key == "app") g.user = !json_bool(v, key);
        else throw std::invalid_argument("unknown field '" + key + "'");
    }
    std::lock_guard<std::mutex> lock(fake.mu);
    State& st = fake.state;
    g.who = configured_identity(fake);
    const Config saved = st.config;
    const std::int64_t issued = st.counters.token_issued;
    if (lifetime >= 0) st.config.lifetime = lifetime;
    std::string body_out;
    try {
        body_out = issue_token_response(fake, g, g.user && scope_has(g.scope, "offline_access"));
    } catch (...) {
        st.config = saved;
        throw;
    }
    st.config = saved;
    st.counters.token_issued = issued;
    res.status = 200;
    res.set_content(body_out, "application/json");
}

httplib::Server::Handler control(Fake& fake, Handler h) {
    return [&fake, h](const httplib::Request& req, httplib::Response& res) {
        try {
            h(fake, parse_object(req.body), res);
        } catch (const std::invalid_argument& e) {
            reply_error(res, 400, e.what());
        }
    };
}

}  // namespace

void register_control_api(httplib::Server& server, Fake& fake) {
    auto set_state = [](DeviceState to, const char* verb) -> Handler {
        return [to, verb](Fake& f, const picojson::object& b, httplib::Response& r) {
            set_device_state(f, b, r, to, verb);
        };
    };
    const std::map<std::string, Handler> posts = {
        {"/_control/config", post_config},
        {"/_control/approve", set_state(DeviceState::approved, "approved")},
        {"/_control/decline", set_state(DeviceState::declined, "declined")},
        {"/_control/expire", set_state(DeviceState::expired, "expired")},
        {"/_control/fault", post_fault},
        {"/_control/fault/clear", clear_faults},
        {"/_control/reset", reset},
        {"/_control/mint", mint},
    };
    const std::map<std::string, Handler> gets = {
        {"/_control/config", get_config},   {"/_control/fault", get_faults},
        {"/_control/counters", get_counters}, {"/_control/reset", reset},
        {"/_control/pending", get_pending},
    };
    for (const auto& [path, h] : posts) server.Post(path, control(fake, h));
    for (const auto& [path, h] : gets) server.Get(path, control(fake, h));

    // httplib answers a POST without Content-Length with 400 before routing;
    // `curl -X POST .../_control/reset` sends exactly that, so take it here.
    server.set_pre_routing_handler([&fake, posts](const httplib::Request& req, httplib::Response& res) {
        if (req.method != "POST" || req.has_header("Content-Length") ||
            req.has_header("Transfer-Encoding"))
            return httplib::Server::HandlerResponse::Unhandled;
        auto it = posts.find(req.path);
        if (it == posts.end()) return httplib::Server::HandlerResponse::Unhandled;
        control(fake, it->second)(req, res);
        return httplib::Server::HandlerResponse::Handled;
    });
}

}  // namespace aks::fake_entra
