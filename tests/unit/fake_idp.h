#pragma once
// A scripted, in-process Entra stand-in for flow tests: devicecode and token
// endpoints on 127.0.0.1, request counting, recorded forms, and a fake clock
// that the recording sleeper advances (no real waiting anywhere).
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/base64url.h"
#include "core/clock.h"
#include "core/http_client.h"
#include "core/login_args.h"
#include "tests/unit/loopback_server.h"

namespace aks_test {

inline std::string fake_jwt(const std::string& oid, std::int64_t exp) {
    const std::string header = R"({"alg":"RS256","typ":"JWT"})";
    const std::string payload = R"({"aud":"6dae42f8-4368-4678-94ff-3960e28e3630","oid":")" + oid +
                                R"(","upn":"user@example.com","tid":"t1","exp":)" + std::to_string(exp) + "}";
    return aks::base64url_encode(header) + "." + aks::base64url_encode(payload) + ".c2ln";
}

inline std::string token_json(const std::string& access, const std::string& refresh, std::int64_t expires_in) {
    std::string body = R"({"token_type":"Bearer","scope":"6dae42f8-4368-4678-94ff-3960e28e3630/user.read",)"
                       R"("expires_in":)" +
                       std::to_string(expires_in) + R"(,"ext_expires_in":)" + std::to_string(expires_in) +
                       R"(,"access_token":")" + access + '"';
    if (!refresh.empty()) body += R"(,"refresh_token":")" + refresh + '"';
    return body + "}";
}

inline std::string oauth_error_json(const std::string& error, const std::string& description = "") {
    return R"({"error":")" + error + R"(","error_description":")" + description +
           R"(","error_codes":[],"trace_id":"trace-1","correlation_id":"corr-1"})";
}

// Fake wall and monotonic clocks shared by the flow and the sleeper.
struct FakeTime {
    std::shared_ptr<std::atomic<std::int64_t>> now = std::make_shared<std::atomic<std::int64_t>>(1700000000);
    std::shared_ptr<std::atomic<std::int64_t>> steady_ms = std::make_shared<std::atomic<std::int64_t>>(5000000);
    std::shared_ptr<std::mutex> m = std::make_shared<std::mutex>();
    std::shared_ptr<std::vector<std::int64_t>> sleeps = std::make_shared<std::vector<std::int64_t>>();

    aks::Clock clock() const {
        auto n = now;
        return [n] { return n->load(); };
    }
    aks::SteadyClock steady() const {
        auto s = steady_ms;
        return [s] { return s->load(); };
    }
    // Records each sleep and moves both clocks forward by it.
    aks::Sleeper sleeper() const {
        auto n = now;
        auto st = steady_ms;
        auto mm = m;
        auto s = sleeps;
        return [n, st, mm, s](std::int64_t ms) {
            std::lock_guard<std::mutex> g(*mm);
            s->push_back(ms);
            *st += ms;
            *n += ms / 1000;
        };
    }
    std::vector<std::int64_t> recorded() const {
        std::lock_guard<std::mutex> g(*m);
        return *sleeps;
    }
};

class FakeIdp {
public:
    using Reply = std::pair<int, std::string>;

    FakeIdp() {
        srv_.server().Post(R"(/[^/]+/oauth2/v2\.0/devicecode)",
                           [this](const httplib::Request& req, httplib::Response& res) {
                               std::lock_guard<std::mutex> g(m_);
                               ++devicecode_requests_;
                               devicecode_forms_.push_back(req.params);
                               res.status = devicecode_reply_.first;
                               res.set_content(devicecode_reply_.second, "application/json");
                           });
        srv_.server().Post(R"(/[^/]+/oauth2/v2\.0/token)", [this](const httplib::Request& req, httplib::Response& res) {
            std::lock_guard<std::mutex> g(m_);
            ++token_requests_;
            token_forms_.push_back(req.params);
            Reply r = token_default_;
            if (!token_script_.empty()) {
                r = token_script_.front();
                token_script_.pop_front();
            }
            res.status = r.first;
            res.set_content(r.second, r.second.rfind("{", 0) == 0 ? "application/json" : "text/html");
        });
        srv_.start();
    }

    std::string authority() const { return srv_.base_url(); }

    void set_devicecode_reply(int status, std::string body) {
        std::lock_guard<std::mutex> g(m_);
        devicecode_reply_ = {status, std::move(body)};
    }
    // Replies for the next token requests, in order; then the default one.
    void script_token(std::vector<Reply> replies) {
        std::lock_guard<std::mutex> g(m_);
        token_script_.assign(replies.begin(), replies.end());
    }
    void set_token_default(int status, std::string body) {
        std::lock_guard<std::mutex> g(m_);
        token_default_ = {status, std::move(body)};
    }

    int devicecode_requests() const {
        std::lock_guard<std::mutex> g(m_);
        return devicecode_requests_;
    }
    int token_requests() const {
        std::lock_guard<std::mutex> g(m_);
        return token_requests_;
    }
    std::vector<httplib::Params> token_forms() const {
        std::lock_guard<std::mutex> g(m_);
        return token_forms_;
    }
    std::vector<httplib::Params> devicecode_forms() const {
        std::lock_guard<std::mutex> g(m_);
        return devicecode_forms_;
    }

    static std::string param(const httplib::Params& p, const std::string& key) {
        auto it = p.find(key);
        return it == p.end() ? std::string() : it->second;
    }

private:
    mutable std::mutex m_;
    int devicecode_requests_ = 0;
    int token_requests_ = 0;
    std::vector<httplib::Params> devicecode_forms_, token_forms_;
    Reply devicecode_reply_{200,
                            R"({"device_code":"dc-123","user_code":"ABCD-EFGH",)"
                            R"("verification_uri":"https://microsoft.com/devicelogin","expires_in":900,"interval":5,)"
                            R"("message":"To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD-EFGH to authenticate."})"};
    std::deque<Reply> token_script_;
    Reply token_default_{400, oauth_error_json("authorization_pending")};
    // Declared last: destroyed (stopped) first, before the state handlers use.
    LoopbackServer srv_;
};

inline aks::HttpClientOptions fast_http_options(const FakeTime& t) {
    aks::HttpClientOptions o;
    o.env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    o.sleep = t.sleeper();
    o.clock = t.clock();
    o.steady = t.steady();
    o.connect_timeout_seconds = 5;
    o.read_timeout_seconds = 5;
    return o;
}

}  // namespace aks_test
