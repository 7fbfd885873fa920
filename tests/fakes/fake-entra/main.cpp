// fake-entra: a loopback HTTPS stand-in for Microsoft Entra ID, for tests
// and the demo. See options.cpp for the command line and control_api.cpp for
// the /_control interface.
#include "tests/fakes/fake-entra/options.h"
#include "tests/fakes/fake-entra/routes.h"
#include "tests/fakes/fake-entra/wire.h"

#include <httplib.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <pthread.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace aks::fake_entra {
namespace {

// Enough workers that 32 parallel clients holding keep-alive connections
// never queue behind each other.
const std::size_t kWorkerThreads = 64;

void write_port_file(const std::string& path, int port) {
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << port << "\n";
        out.close();
        if (!out) throw std::runtime_error("cannot write port file " + tmp);
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        std::remove(tmp.c_str());
        throw std::runtime_error("cannot rename port file to " + path + ": " + why);
    }
}

bool readable(const std::string& path) { return std::ifstream(path).good(); }

std::string url_host(const std::string& host) {
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

// Signals are taken by one thread with sigwait, so stop() never runs in a
// signal handler. Blocked first thing, so a signal during start-up waits for
// that thread instead of killing the process.
sigset_t block_stop_signals() {
    // A shell starts background jobs with SIGINT ignored; an ignored signal
    // never reaches sigwait, so restore the defaults first.
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGUSR1);  // wakes the waiting thread when the server ends on its own
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    return signals;
}

// Like httplib's default but without SO_REUSEPORT, so a second server on a
// fixed --port fails instead of sharing the port.
void socket_options(int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

int run(const Options& opt, const sigset_t& signals) {
    if (!readable(opt.cert)) throw std::runtime_error("cannot read certificate file " + opt.cert);
    if (!readable(opt.key)) throw std::runtime_error("cannot read private key file " + opt.key);

    Config defaults;
    defaults.lifetime = opt.lifetime;
    defaults.interval = opt.interval;
    Fake fake(opt.signing_key_file.empty() ? RsaSigner::generate()
                                           : RsaSigner::load(opt.signing_key_file),
              defaults, opt.tenant);

    httplib::SSLServer server(opt.cert.c_str(), opt.key.c_str());
    if (!server.is_valid())
        throw std::runtime_error("TLS set-up failed: " + opt.cert + " and " + opt.key +
                                 " are not a matching PEM certificate and key");
    server.set_socket_options(socket_options);
    // httplib owns and deletes the queue it gets from this factory.
    server.new_task_queue = [] { return std::make_unique<httplib::ThreadPool>(kWorkerThreads).release(); };
    server.set_exception_handler([](const httplib::Request& req, httplib::Response& res,
                                    std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
            std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        std::cerr << "fake-entra: " << req.method << " " << req.path << ": " << what << "\n";
        send_entra_error(res, 500, "server_error", 90033, "Internal error in fake-entra.");
    });
    if (opt.verbose) {
        server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
            std::cerr << "fake-entra: " << req.method << " " << req.path << " -> " << res.status << "\n";
        });
    }
    register_discovery(server, fake);
    register_device_flow(server, fake);
    register_token_endpoint(server, fake);
    register_authorize(server, fake);
    register_control_api(server, fake);

    int port = opt.port;
    if (port == 0) {
        port = server.bind_to_any_port(opt.host);
        if (port < 0) throw std::runtime_error("cannot listen on " + opt.host);
    } else if (!server.bind_to_port(opt.host, port)) {
        throw std::runtime_error("cannot listen on " + opt.host + ":" + std::to_string(port));
    }
    fake.base_url = "https://" + url_host(opt.host) + ":" + std::to_string(port);

    if (!opt.port_file.empty()) write_port_file(opt.port_file, port);
    std::cerr << "fake-entra listening on " << fake.base_url << std::endl;

    // A signal that came during start-up is still pending and is taken here.
    std::atomic<bool> listening_done{false};
    std::thread stopper([&] {
        int sig = 0;
        sigwait(&signals, &sig);
        {
            std::lock_guard<std::mutex> lock(fake.mu);
            fake.stopping = true;  // delayed answers end now: the pool's join does not wait for them
            fake.wake.notify_all();
        }
        // stop() only acts on a running server: retry until listen returns.
        while (!listening_done.load()) {
            if (server.is_running()) server.stop();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    });
    const bool ok = server.listen_after_bind();
    listening_done = true;
    pthread_kill(stopper.native_handle(), SIGUSR1);
    stopper.join();
    return ok ? 0 : 1;
}

}  // namespace
}  // namespace aks::fake_entra

int main(int argc, char** argv) {
    using namespace aks::fake_entra;
    Options opt;
    try {
        opt = parse_options(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "fake-entra: " << e.what() << "\n" << usage_line() << "\n";
        return 2;
    }
    if (opt.help) {
        std::cout << usage_text();
        return 0;
    }
    // A client that resets its connection must not end the fake (SIGPIPE on
    // the next TLS write); the write fails with EPIPE instead.
    std::signal(SIGPIPE, SIG_IGN);
    const sigset_t signals = block_stop_signals();
    try {
        return run(opt, signals);
    } catch (const std::exception& e) {
        std::cerr << "fake-entra: " << e.what() << "\n";
        return 1;
    }
}
