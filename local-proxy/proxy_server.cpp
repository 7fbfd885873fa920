#include "local-proxy/proxy_server.h"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <csignal>
#include <fstream>
#include <random>
#include <thread>

#include "core/errors.h"

namespace aks::proxy {

ProxyServer::ProxyServer(ProxyContext& ctx, int threads) : ctx_(ctx) {
    for (int i = 0; i < std::max(1, threads); ++i) workers_.push_back(std::make_unique<Worker>(ctx_));
}

ProxyServer::~ProxyServer() {
    if (!unix_path_.empty()) ::unlink(unix_path_.c_str());
}

std::string ProxyServer::listen_tcp(const std::string& address, unsigned short port) {
    listeners_.push_back(std::make_shared<Listener>(control_, tcp_endpoint(address, port), workers_, ctx_, true));
    return listeners_.back()->local_address();
}

namespace {

// A port of the kernel's ephemeral range, at random and of either parity
// (bind(0) hands out odd ports only, which another user could hold on ::1).
unsigned short random_ephemeral_port() {
    unsigned lo = 0, hi = 0;
    std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
    if (!(range >> lo >> hi) || lo < 1024 || hi > 65535 || lo >= hi) {
        lo = 32768;
        hi = 60999;
    }
    std::random_device rd;
    return static_cast<unsigned short>(lo + rd() % (hi - lo + 1));
}

bool in_use(const boost::system::system_error& e) { return e.code() == boost::system::errc::address_in_use; }

}  // namespace

std::string ProxyServer::listen_loopback(unsigned short port) {
    constexpr int kAttempts = 64;
    for (int attempt = 1;; ++attempt) {
        const bool retry = port == 0 && attempt < kAttempts;
        const unsigned short chosen = port != 0 ? port : random_ephemeral_port();
        std::shared_ptr<Listener> v4;
        try {
            v4 = std::make_shared<Listener>(control_, tcp_endpoint("127.0.0.1", chosen), workers_, ctx_, true);
        } catch (const boost::system::system_error& e) {
            if (retry && in_use(e)) continue;
            throw;
        }
        try {
            listeners_.push_back(std::make_shared<Listener>(control_, tcp_endpoint("::1", chosen), workers_, ctx_, true));
        } catch (const boost::system::system_error& e) {
            const auto code = e.code();
            const bool no_ipv6 = code == boost::system::errc::address_not_available ||
                                 code == boost::system::errc::address_family_not_supported;
            // No IPv6 loopback: nobody can listen there, and browsers fall back to 127.0.0.1.
            if (!no_ipv6) {
                if (retry && in_use(e)) continue;
                throw UsageError("cannot listen on [::1]:" + std::to_string(chosen) + " as well as on 127.0.0.1 (" +
                                 code.message() + (port == 0 ? ", " + std::to_string(kAttempts) + " ports tried" : "") +
                                 "); browsers reach the launch URL's *.localhost name on either address, so "
                                 "aks-proxy needs the port on both");
            }
        }
        listeners_.push_back(std::move(v4));
        return listeners_.back()->local_address();
    }
}

std::string ProxyServer::listen_unix(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
        // A socket left by an earlier run may go; anything else is the user's file.
        if (!S_ISSOCK(st.st_mode)) throw UsageError("--unix-socket " + path + " exists and is not a socket");
        ::unlink(path.c_str());
    }
    // Created 0600 from the start: no window in which another user could connect.
    const mode_t old = ::umask(0177);
    try {
        listeners_.push_back(std::make_shared<Listener>(control_, unix_endpoint(path), workers_, ctx_, false));
    } catch (...) {
        ::umask(old);
        throw;
    }
    ::umask(old);
    unix_path_ = path;
    return path;
}

void ProxyServer::stop() {
    net::post(control_, [this] { begin_shutdown(); });
}

void ProxyServer::begin_shutdown() {
    if (ctx_.draining.exchange(true)) return;
    for (auto& l : listeners_) l->stop();
    drain_deadline_ = std::chrono::steady_clock::now() + ctx_.limits.shutdown_grace;
    check_drained();
}

// Polls until the in-flight requests are done or the grace period is over.
void ProxyServer::check_drained() {
    if (ctx_.in_flight.load() <= 0 || std::chrono::steady_clock::now() >= drain_deadline_) {
        for (auto& w : workers_) w->ioc.stop();  // closes watches, tunnels and idle connections
        control_.stop();
        return;
    }
    drain_timer_.expires_after(std::chrono::milliseconds(20));
    drain_timer_.async_wait([this](beast::error_code ec) {
        if (!ec) check_drained();
    });
}

int ProxyServer::run() {
    net::signal_set signals(control_, SIGINT, SIGTERM);
    signals.async_wait([this](beast::error_code ec, int) {
        if (!ec) begin_shutdown();
    });
    std::signal(SIGPIPE, SIG_IGN);
    for (auto& l : listeners_) l->run();

    std::vector<std::thread> threads;
    for (auto& w : workers_) {
        threads.emplace_back([&w] {
            auto guard = net::make_work_guard(w->ioc);
            w->ioc.run();
        });
    }
    control_.run();
    for (auto& w : workers_) w->ioc.stop();
    for (auto& t : threads) t.join();
    return 0;
}

}  // namespace aks::proxy
