#pragma once
// In-process HTTP server on 127.0.0.1 with an ephemeral port for unit tests.
// Stopped and joined when the object goes out of scope, also when a test fails.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace aks_test {

class LoopbackServer {
public:
    LoopbackServer() : server_(std::make_unique<httplib::Server>()) {}
    // For a TLS server (httplib::SSLServer).
    explicit LoopbackServer(std::unique_ptr<httplib::Server> server) : server_(std::move(server)) {}
    ~LoopbackServer() { stop(); }
    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;

    httplib::Server& server() { return *server_; }

    // Register handlers first, then start.
    void start() {
        port_ = server_->bind_to_any_port("127.0.0.1");
        if (port_ <= 0) throw std::runtime_error("cannot bind a loopback test server");
        thread_ = std::thread([this] {
            server_->listen_after_bind();
            finished_ = true;
        });
        // stop() is a no-op until the listen loop runs, so wait for it.
        while (!server_->is_running() && !finished_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }

    void stop() {
        if (!thread_.joinable()) return;
        server_->stop();
        thread_.join();
    }

    int port() const { return port_; }
    std::string base_url(const std::string& scheme = "http") const {
        return scheme + "://127.0.0.1:" + std::to_string(port_);
    }

private:
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    std::atomic<bool> finished_{false};
    int port_ = 0;
};

}  // namespace aks_test
