#include "tests/fakes/fake-entra/faults.h"

#include "tests/fakes/fake-entra/json.h"
#include "tests/fakes/fake-entra/routes.h"
#include "tests/fakes/fake-entra/wire.h"

#include <chrono>
#include <stdexcept>
#include <thread>

namespace aks::fake_entra {
namespace {

const std::int64_t kMaxDelayMs = 120000;

bool matches(const Fault& f, const httplib::Request& req) {
    if (!f.path_contains.empty() && req.path.find(f.path_contains) == std::string::npos)
        return false;
    const std::string grant = req.get_param_value("grant_type");
    if (!f.grant_type.empty() && grant != f.grant_type) return false;
    if (f.slow_down && grant != kDeviceCodeGrant) return false;
    return true;
}

bool delay_only(const Fault& f) {
    return f.status == 0 && !f.has_body && f.error.empty() && !f.slow_down;
}

void write_fault(const Fault& f, httplib::Response& res) {
    if (f.slow_down) {
        send_entra_error(res, f.status ? f.status : 400, "slow_down", 70016,
                         "OAuth 2.0 device flow error. Polling too frequently; slow down.");
    } else if (f.has_body) {
        res.status = f.status ? f.status : 500;
        res.set_content(f.body, f.content_type.empty() ? "application/json; charset=utf-8"
                                                       : f.content_type);
    } else if (!f.error.empty()) {
        send_entra_error(res, f.status ? f.status : 400, f.error,
                         f.error_code ? f.error_code : 90000,
                         f.error_description.empty() ? "Injected error." : f.error_description);
    } else if (f.status == 429) {
        send_entra_error(res, 429, "temporarily_unavailable", 90055,
                         "There are too many incoming requests. Try again later.");
    } else {
        send_entra_error(res, f.status, "server_error", 90033,
                         "A transient error has occurred. Please try again.");
    }
    if (!f.retry_after.empty()) res.set_header("Retry-After", f.retry_after);
}

}  // namespace

Fault parse_fault(const picojson::object& o) {
    Fault f;
    for (const auto& [key, v] : o) {
        if (key == "path_contains") f.path_contains = json_string(v, key);
        else if (key == "grant_type") f.grant_type = json_string(v, key);
        else if (key == "status") f.status = static_cast<int>(json_int(v, key));
        else if (key == "retry_after")
            f.retry_after = v.is<double>() ? std::to_string(json_int(v, key)) : json_string(v, key);
        else if (key == "body") { f.body = json_string(v, key); f.has_body = true; }
        else if (key == "content_type") f.content_type = json_string(v, key);
        else if (key == "error") f.error = json_string(v, key);
        else if (key == "error_code") f.error_code = json_int(v, key);
        else if (key == "error_description") f.error_description = json_string(v, key);
        else if (key == "delay_ms") f.delay_ms = json_int(v, key);
        else if (key == "count") f.count = json_int(v, key);
        else if (key == "slow_down") f.slow_down = json_bool(v, key);
        else throw std::invalid_argument("unknown fault field '" + key + "'");
    }
    if (f.status != 0 && (f.status < 100 || f.status > 599))
        throw std::invalid_argument("'status' must be an HTTP status code");
    if (f.count < 1) throw std::invalid_argument("'count' must be at least 1");
    if (f.delay_ms < 0 || f.delay_ms > kMaxDelayMs)
        throw std::invalid_argument("'delay_ms' must be between 0 and 120000");
    return f;
}

bool apply_fault(Fake& fake, const httplib::Request& req, httplib::Response& res) {
    Fault f;
    {
        std::lock_guard<std::mutex> lock(fake.mu);
        auto& faults = fake.state.faults;
        auto it = faults.begin();
        while (it != faults.end() && !matches(*it, req)) ++it;
        if (it == faults.end()) return false;
        f = *it;
        if (--it->count == 0) faults.erase(it);
        ++fake.state.counters.faults_served;
    }
    // Sleep outside the lock so other requests (and /_control) go on.
    if (f.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(f.delay_ms));
    if (delay_only(f)) return false;
    write_fault(f, res);
    return true;
}

}  // namespace aks::fake_entra
