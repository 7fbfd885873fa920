// Benchmark client for aks-proxy (scripts/bench.sh proxy), HTTP/1.1 on Asio.
//   proxy-bench watches PORT N PATH PID EMIT_COMMAND
//     opens N watch requests to 127.0.0.1:PORT, waits for every response head,
//     reports the RSS of process PID, runs EMIT_COMMAND (which makes the API
//     server emit one event) and reports how long the event took to reach
//     every watcher.
//   proxy-bench tunnel PORT BYTES
//     upgrades one connection (GET /_control/blast?bytes=BYTES) and reads
//     BYTES through the tunnel, reporting the throughput and the CPU time
//     this client spent per GiB (reading plain TCP, or TLS when direct).
// With AKS_BENCH_TLS_CA=FILE and AKS_BENCH_TOKEN=T set, both speak TLS
// (verified against FILE) with that bearer token: the API server directly,
// the baseline the proxies are compared with. PID "-" skips the RSS.
#include <sys/resource.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// Direct runs: TLS and a token, from the environment (see the top).
struct Direct {
    std::unique_ptr<net::ssl::context> tls;
    std::string authorization;  // header line, or ""
};

Direct direct_from_env() {
    Direct d;
    const char* ca = std::getenv("AKS_BENCH_TLS_CA");
    const char* token = std::getenv("AKS_BENCH_TOKEN");
    if (ca == nullptr || token == nullptr) return d;
    d.tls = std::make_unique<net::ssl::context>(net::ssl::context::tls_client);
    d.tls->load_verify_file(ca);
    d.tls->set_verify_mode(net::ssl::verify_peer);
    d.authorization = std::string("Authorization: Bearer ") + token + "\r\n";
    return d;
}

template <class Stream>
struct Watcher : std::enable_shared_from_this<Watcher<Stream>> {
    template <class... Args>
    explicit Watcher(std::string request, Args&&... args)
        : stream(std::forward<Args>(args)...), request(std::move(request)) {}
    Stream stream;
    std::string request, data;
    char buf[4096];
    bool ready = false, got = false;
    Clock::time_point when{};
    std::size_t* ready_count = nullptr;
    std::size_t* got_count = nullptr;

    void start(const tcp::endpoint& ep) {
        auto self = this->shared_from_this();
        stream.lowest_layer().async_connect(ep, [self](boost::system::error_code ec) {
            if (ec) return std::fprintf(stderr, "connect: %s\n", ec.message().c_str()), void();
            self->handshake();
        });
    }
    void handshake() {
        auto self = this->shared_from_this();
        if constexpr (std::is_same_v<Stream, tcp::socket>) {
            send();
        } else {
            stream.async_handshake(net::ssl::stream_base::client, [self](boost::system::error_code ec) {
                if (ec) return std::fprintf(stderr, "handshake: %s\n", ec.message().c_str()), void();
                self->send();
            });
        }
    }
    void send() {
        auto self = this->shared_from_this();
        net::async_write(stream, net::buffer(request), [self](boost::system::error_code ec, std::size_t) {
            if (!ec) self->read();
        });
    }
    void read() {
        auto self = this->shared_from_this();
        stream.async_read_some(net::buffer(buf), [self](boost::system::error_code ec, std::size_t n) {
            if (ec) return;
            self->data.append(self->buf, n);
            if (!self->ready && self->data.find("\r\n\r\n") != std::string::npos) {
                self->ready = true;
                ++*self->ready_count;
            }
            if (!self->got && self->data.find("bench-event-pod") != std::string::npos) {
                self->got = true;
                self->when = Clock::now();
                ++*self->got_count;
            }
            if (self->data.size() > 65536) self->data.erase(0, self->data.size() - 64);
            self->read();
        });
    }
};

long rss_kib(const std::string& pid) {
    if (pid == "-") return -1;
    std::ifstream in("/proc/" + pid + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return -1;
}

void run_until(net::io_context& ioc, const std::function<bool()>& done, std::chrono::seconds limit) {
    const auto end = Clock::now() + limit;
    while (!done() && Clock::now() < end) ioc.run_for(std::chrono::milliseconds(5));
}

// make() returns a new, unstarted watcher (plain or TLS).
template <class Make>
int run_watches(net::io_context& ioc, Make make, const tcp::endpoint& ep, std::size_t n, const std::string& pid,
                const std::string& emit) {
    std::vector<decltype(make())> ws;
    std::size_t ready = 0, got = 0;
    const long rss0 = rss_kib(pid);  // the proxy before any watch
    for (std::size_t i = 0; i < n; ++i) {
        auto w = make();
        w->ready_count = &ready;
        w->got_count = &got;
        w->start(ep);
        ws.push_back(w);
        if (i % 200 == 199) run_until(ioc, [&] { return ready + 50 >= i; }, std::chrono::seconds(20));
    }
    run_until(ioc, [&] { return ready == n; }, std::chrono::seconds(60));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let the fake register the last ones
    const long rss = rss_kib(pid);
    if (rss >= 0)
        std::printf("watches open: %zu of %zu; RSS %.1f MiB (%.1f KiB per watch); grew %.1f KiB per watch over %.1f MiB idle\n",
                    ready, n, rss / 1024.0, ready ? static_cast<double>(rss) / static_cast<double>(ready) : 0.0,
                    ready ? static_cast<double>(rss - rss0) / static_cast<double>(ready) : 0.0, rss0 / 1024.0);
    else
        std::printf("watches open: %zu of %zu\n", ready, n);
    const auto t0 = Clock::now();
    std::thread emitter([&] { (void)std::system(emit.c_str()); });
    run_until(ioc, [&] { return got == ready; }, std::chrono::seconds(30));
    emitter.join();
    std::vector<double> ms;
    for (auto& w : ws)
        if (w->got) ms.push_back(std::chrono::duration<double, std::milli>(w->when - t0).count());
    std::sort(ms.begin(), ms.end());
    auto pct = [&](double p) { return ms.empty() ? 0.0 : ms[std::min(ms.size() - 1, static_cast<std::size_t>(p * ms.size()))]; };
    std::printf("event delivered to %zu of %zu watches: first %.1f ms, p50 %.1f ms, p99 %.1f ms, max %.1f ms "
                "(from the emit request)\n",
                ms.size(), ready, ms.empty() ? 0.0 : ms.front(), pct(0.5), pct(0.99), ms.empty() ? 0.0 : ms.back());
    return ms.size() == ready && ready == n ? 0 : 1;
}

int watches(int argc, char** argv) {
    if (argc < 7) return 2;
    const unsigned short port = static_cast<unsigned short>(std::atoi(argv[2]));
    const std::size_t n = std::strtoul(argv[3], nullptr, 10);
    const std::string path = argv[4], pid = argv[5], emit = argv[6];
    net::io_context ioc(1);
    const tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port);
    Direct direct = direct_from_env();
    const std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n" +
                            direct.authorization + "\r\n";
    if (direct.tls) {
        auto make = [&] { return std::make_shared<Watcher<net::ssl::stream<tcp::socket>>>(req, ioc, *direct.tls); };
        return run_watches(ioc, make, ep, n, pid, emit);
    }
    auto make = [&] { return std::make_shared<Watcher<tcp::socket>>(req, ioc); };
    return run_watches(ioc, make, ep, n, pid, emit);
}

// User + system CPU seconds this process has used.
double cpu_seconds() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

template <class Stream>
int read_tunnel(Stream& s, const std::string& req, unsigned long long bytes) {
    net::write(s, net::buffer(req));
    std::vector<char> buf(256 * 1024);
    std::string head;
    unsigned long long got = 0;
    boost::system::error_code ec;
    const auto t0 = Clock::now();
    const double cpu0 = cpu_seconds();
    while (true) {
        const std::size_t n = s.read_some(net::buffer(buf), ec);
        if (ec) break;
        if (head.find("\r\n\r\n") == std::string::npos) {
            head.append(buf.data(), n);
            const auto end = head.find("\r\n\r\n");
            if (end != std::string::npos) got += head.size() - end - 4;
            continue;
        }
        got += n;
    }
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    const double gib = static_cast<double>(got) / (1024.0 * 1024 * 1024);
    std::printf("tunnel: %llu of %llu bytes in %.3f s: %.2f GB/s (%s); client CPU %.2f s/GiB\n", got, bytes, secs,
                got / secs / 1e9, head.substr(0, head.find("\r\n")).c_str(), gib > 0 ? (cpu_seconds() - cpu0) / gib : 0.0);
    return got == bytes ? 0 : 1;
}

int tunnel(int argc, char** argv) {
    if (argc < 4) return 2;
    const unsigned short port = static_cast<unsigned short>(std::atoi(argv[2]));
    const unsigned long long bytes = std::strtoull(argv[3], nullptr, 10);
    net::io_context ioc(1);
    Direct direct = direct_from_env();
    const std::string req = "GET /_control/blast?bytes=" + std::to_string(bytes) +
                            " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: bench\r\n" +
                            direct.authorization + "\r\n";
    const tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port);
    if (direct.tls) {
        net::ssl::stream<tcp::socket> s(ioc, *direct.tls);
        s.lowest_layer().connect(ep);
        s.handshake(net::ssl::stream_base::client);
        return read_tunnel(s, req, bytes);
    }
    tcp::socket s(ioc);
    s.connect(ep);
    return read_tunnel(s, req, bytes);
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    int rc = 2;
    if (mode == "watches") rc = watches(argc, argv);
    if (mode == "tunnel") rc = tunnel(argc, argv);
    if (rc == 2) std::fprintf(stderr, "usage: proxy-bench watches PORT N PATH PID EMIT_COMMAND | tunnel PORT BYTES\n");
    return rc;
}
