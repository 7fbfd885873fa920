#include "tests/fakes/fake-entra/faults.h"

#include "tests/fakes/fake-entra/aadsts_catalog.h"
#include "tests/fakes/fake-entra/json.h"
#include "tests/fakes/fake-entra/routes.h"
#include "tests/fakes/fake-entra/wire.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

namespace aks::fake_entra {
namespace {

const std::int64_t kMaxDelayMs = 120000;

// Which Entra endpoint a path is, for faults aimed at one endpoint.
std::string endpoint_of(const std::string& path) {
    auto ends = [&](const char* suffix) {
        const std::size_t n = std::strlen(suffix);
        return path.size() >= n && path.compare(path.size() - n, n, suffix) == 0;
    };
    if (ends("/token")) return "token";
    if (ends("/devicecode")) return "devicecode";
    if (ends("/authorize")) return "authorize";
    if (ends("/openid-configuration")) return "discovery";
    if (ends("/keys")) return "keys";
    if (ends("/devicelogin")) return "devicelogin";
    return {};
}

bool matches(const Fault& f, const httplib::Request& req) {
    if (!f.endpoint.empty() && endpoint_of(req.path) != f.endpoint) return false;
    if (!f.path_contains.empty() && req.path.find(f.path_contains) == std::string::npos)
        return false;
    const std::string grant = req.get_param_value("grant_type");
    if (!f.grant_type.empty() && grant != f.grant_type) return false;
    if (f.slow_down && grant != kDeviceCodeGrant) return false;
    return true;
}

bool delay_only(const Fault& f) {
    return f.status == 0 && !f.has_body && f.error.empty() && !f.slow_down && f.kind.empty() &&
           f.aadsts == 0;
}

// The socket of the request's connection: the descriptor whose peer is the
// request's remote address and port (httplib does not hand it out).
int connection_fd(const httplib::Request& req) {
    DIR* dir = ::opendir("/proc/self/fd");
    if (!dir) return -1;
    int found = -1;
    while (const dirent* ent = ::readdir(dir)) {
        const int fd = std::atoi(ent->d_name);
        if (fd <= 2 || fd == ::dirfd(dir)) continue;
        sockaddr_storage peer{};
        socklen_t len = sizeof peer;
        if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0) continue;
        char host[INET6_ADDRSTRLEN] = {};
        int port = -1;
        if (peer.ss_family == AF_INET) {
            const auto* a = reinterpret_cast<const sockaddr_in*>(&peer);
            ::inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
            port = ntohs(a->sin_port);
        } else if (peer.ss_family == AF_INET6) {
            const auto* a = reinterpret_cast<const sockaddr_in6*>(&peer);
            ::inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
            port = ntohs(a->sin6_port);
        }
        if (port == req.remote_port && req.remote_addr == host) {
            found = fd;
            break;
        }
    }
    ::closedir(dir);
    return found;
}

// Ends the connection under httplib's feet: the socket's descriptor is
// replaced by /dev/null (dup2 closes the socket atomically, so the number is
// never reused under httplib), which then writes its answer into nothing and
// reads end-of-file. With SO_LINGER 0 the close is a reset (RST).
void drop_connection(const httplib::Request& req, bool reset) {
    const int fd = connection_fd(req);
    if (fd < 0) throw std::runtime_error("cannot find the socket of this connection");
    if (reset) {
        const linger abort_close{1, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_close, sizeof abort_close);
    }
    const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0) throw std::runtime_error("cannot open /dev/null");
    const int rc = ::dup3(null, fd, O_CLOEXEC);
    ::close(null);
    if (rc < 0) throw std::runtime_error("cannot replace the connection's socket");
}

const char kCaptivePortal[] =
    "<!DOCTYPE html><html><head><title>Sign in to the network</title></head><body>"
    "<h1>Welcome to Hotel Wi-Fi</h1><form method=\"post\" action=\"/portal/accept\">"
    "<button>Accept and connect</button></form></body></html>";

// A complete-looking token answer whose body stops in the middle: the
// Content-Length promises the whole of it, the connection ends halfway.
void write_truncated(const Fault& f, httplib::Response& res) {
    static const std::string whole =
        R"({"token_type":"Bearer","scope":"6dae42f8-4368-4678-94ff-3960e28e3630/.default","expires_in":3599,)"
        R"("ext_expires_in":3599,"access_token":"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiI2ZGFlNDJmOCJ9.c2ln",)"
        R"("refresh_token":"0.AXoA-truncated"})";
    res.status = f.status ? f.status : 200;
    res.set_content_provider(whole.size(), "application/json; charset=utf-8",
                             [](std::size_t, std::size_t, httplib::DataSink& sink) {
                                 sink.write(whole.data(), whole.size() / 2);
                                 return false;  // httplib closes the connection
                             });
}

void write_fault(const Fault& f, httplib::Response& res) {
    if (f.slow_down) {
        send_entra_error(res, f.status ? f.status : 400, "slow_down", 70016,
                         "OAuth 2.0 device flow error. Polling too frequently; slow down.");
    } else if (f.kind == "truncated") {
        write_truncated(f, res);
    } else if (f.kind == "html") {
        send_html(res, f.status ? f.status : 200, f.has_body ? f.body : kCaptivePortal);
    } else if (f.kind == "garbage") {
        res.status = f.status ? f.status : 200;
        std::string bytes;
        for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>((i * 167 + 13) & 0xff));
        res.set_content(bytes, "application/json; charset=utf-8");
    } else if (f.has_body) {
        res.status = f.status ? f.status : 500;
        res.set_content(f.body, f.content_type.empty() ? "application/json; charset=utf-8"
                                                       : f.content_type);
    } else if (f.aadsts != 0) {
        const AadstsError* e = find_aadsts(f.aadsts);  // checked by parse_fault
        send_entra_error(res, f.status ? f.status : e->status, f.error.empty() ? e->error : f.error,
                         e->code, f.error_description.empty() ? e->description : f.error_description);
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

// Sleeps out a fault's delay, ending early on /_control/reset or shutdown.
void wait_out(Fake& fake, std::int64_t delay_ms) {
    std::unique_lock<std::mutex> lock(fake.mu);
    const std::uint64_t generation = fake.generation;
    fake.wake.wait_for(lock, std::chrono::milliseconds(delay_ms),
                       [&] { return fake.stopping || fake.generation != generation; });
}

}  // namespace

Fault parse_fault(const picojson::object& o) {
    Fault f;
    for (const auto& [key, v] : o) {
        if (key == "endpoint") f.endpoint = json_string(v, key);
        else if (key == "path_contains") f.path_contains = json_string(v, key);
        else if (key == "grant_type") f.grant_type = json_string(v, key);
        else if (key == "kind") f.kind = json_string(v, key);
        else if (key == "status") f.status = static_cast<int>(json_int(v, key));
        else if (key == "retry_after")
            f.retry_after = v.is<double>() ? std::to_string(json_int(v, key)) : json_string(v, key);
        else if (key == "body") { f.body = json_string(v, key); f.has_body = true; }
        else if (key == "content_type") f.content_type = json_string(v, key);
        else if (key == "aadsts") f.aadsts = json_int(v, key);
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
    static const char* const kinds[] = {"", "reset", "close", "truncated", "html", "garbage"};
    bool known_kind = false;
    for (const char* k : kinds) known_kind = known_kind || f.kind == k;
    if (!known_kind)
        throw std::invalid_argument("'kind' must be reset, close, truncated, html or garbage");
    static const char* const endpoints[] = {"", "token", "devicecode", "authorize", "discovery", "keys",
                                            "devicelogin"};
    bool known_endpoint = false;
    for (const char* e : endpoints) known_endpoint = known_endpoint || f.endpoint == e;
    if (!known_endpoint)
        throw std::invalid_argument(
            "'endpoint' must be token, devicecode, authorize, discovery, keys or devicelogin");
    if (f.aadsts != 0 && !find_aadsts(f.aadsts))
        throw std::invalid_argument("'aadsts' " + std::to_string(f.aadsts) +
                                    " is not in fake-entra's catalog (aadsts_catalog.cpp)");
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
    // Waits outside the lock so other requests (and /_control) go on.
    if (f.delay_ms > 0) wait_out(fake, f.delay_ms);
    if (delay_only(f)) return false;
    if (f.kind == "reset" || f.kind == "close") {
        drop_connection(req, f.kind == "reset");
        res.status = 500;  // written into /dev/null
        return true;
    }
    write_fault(f, res);
    return true;
}

}  // namespace aks::fake_entra
