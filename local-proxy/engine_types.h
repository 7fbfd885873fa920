#pragma once
// Stream types, limits and the state every connection of one proxy shares.
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "local-proxy/access_log.h"
#include "local-proxy/headlamp_mode.h"
#include "local-proxy/launch_session.h"
#include "local-proxy/request_filter.h"
#include "local-proxy/request_head.h"

namespace aks::proxy {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using namespace std::chrono_literals;

// TCP or Unix-domain client connection (--unix-socket), one type for both.
using ClientStream = beast::basic_stream<net::generic::stream_protocol, net::io_context::executor_type>;

// Bodies are streamed, never held whole, so they have no size limit. (Beast
// 1.74 compares lengths against an empty optional limit as "exceeded", hence
// the largest value rather than boost::none.)
constexpr std::uint64_t kNoBodyLimit = ~std::uint64_t{0};

struct EngineLimits {
    HeadLimits head;                                   // request head: bytes, fields, request line
    std::size_t client_buffer = 64 * 1024;             // bytes read ahead from a client (chunk lines, trailers)
    int max_connections = 10000;                       // client connections (tunnels included) at once
    std::uint32_t upstream_header_limit = 256 * 1024;  // response head from the API server
    std::chrono::milliseconds header_timeout = 15s;    // whole request head (slowloris)
    std::chrono::milliseconds idle_timeout = 90s;      // keep-alive wait for the next request
    std::chrono::milliseconds upstream_timeout = 60s;  // connect + TLS, and the response head
    std::chrono::milliseconds write_timeout = 60s;     // a client that stops reading
    std::chrono::milliseconds stream_idle = 1h;        // watch/log bodies, tunnels: silence allowed
    std::chrono::milliseconds pool_idle = 50s;         // pooled upstream connection kept this long
    std::chrono::milliseconds shutdown_grace = 5s;     // in-flight requests after SIGTERM
    std::size_t chunk = 16 * 1024;                     // relay buffer per direction
};

// Where the bearer token comes from (token_provider.h; fakes in tests).
class BearerSource {
public:
    virtual ~BearerSource() = default;
    // "Bearer <token>", or null when no usable token is held.
    virtual std::shared_ptr<const std::string> authorization() const = 0;
    // One line for the 401 Status: which command to run.
    virtual std::string missing_token_message() const = 0;
};

struct Upstream;

// Shared by every worker; immutable after start except the counters.
struct ProxyContext {
    ProxyContext(Upstream& up, const RequestFilter& f, const BearerSource& t, AccessLog l)
        : upstream(up), filter(f), tokens(t), log(l) {}
    Upstream& upstream;  // its TLS context is used (not changed) by every connection
    const RequestFilter& filter;
    const BearerSource& tokens;
    AccessLog log;
    EngineLimits limits;
    bool verbose = false;
    // Headlamp mode (--upstream, --headlamp-service): the per-run secret every
    // request must carry, and what the proxy knows of that Headlamp.
    std::optional<LaunchSession> launch;
    std::optional<HeadlampMode> headlamp;
    std::atomic<int> in_flight{0};    // requests (not watches or tunnels) being answered
    std::atomic<int> connections{0};  // client connections held (ConnectionSlot)
    std::atomic<bool> draining{false};
};

// One counted client connection (--max-connections): taken when the socket is
// accepted, given back when whoever owns the socket last (the session, or
// the tunnel after an upgrade) goes away.
class ConnectionSlot {
public:
    ConnectionSlot() = default;
    explicit ConnectionSlot(std::atomic<int>& count) : count_(&count) { ++*count_; }
    ConnectionSlot(ConnectionSlot&& o) noexcept : count_(std::exchange(o.count_, nullptr)) {}
    ConnectionSlot& operator=(ConnectionSlot&& o) noexcept {
        if (this != &o) {
            release();
            count_ = std::exchange(o.count_, nullptr);
        }
        return *this;
    }
    ~ConnectionSlot() { release(); }

private:
    void release() {
        if (count_) --*count_;
        count_ = nullptr;
    }
    std::atomic<int>* count_ = nullptr;
};

// Ignores the errors that are normal ends of connections; -v prints the rest.
void note_failure(const ProxyContext& ctx, const beast::error_code& ec, const char* what);

}  // namespace aks::proxy
