#include "core/loopback_redirect_listener.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/errors.h"
#include "core/html_escape.h"
#include "core/url.h"

namespace aks {
namespace {

std::string page(const std::string& title, const std::string& body) {
    return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + html_escape(title) +
           "</title><style>body{font-family:sans-serif;margin:3em auto;max-width:40em;color:#222}"
           "h1{font-size:1.4em}</style></head><body><h1>" +
           html_escape(title) + "</h1><p>" + html_escape(body) + "</p></body></html>";
}

}  // namespace

struct LoopbackRedirectListener::Impl {
    httplib::Server server;
    std::thread thread;
    std::atomic<bool> finished{false};
    std::string expected_state;
    std::string path = "/";
    std::string redirect_uri;
    int port = 0;

    std::mutex m;
    std::condition_variable cv;
    std::optional<RedirectResult> result;

    // A page of another site whose name was rebound to 127.0.0.1 sends its
    // own name as Host; without the state it could not complete a sign-in
    // anyway, but it gets nothing from us either.
    bool loopback_host(const std::string& host) const {
        const std::string suffix = ":" + std::to_string(port);
        if (host.size() <= suffix.size() || host.compare(host.size() - suffix.size(), suffix.size(), suffix) != 0)
            return false;
        const std::string name = host.substr(0, host.size() - suffix.size());
        return name == "localhost" || name == "127.0.0.1" || name == "[::1]";
    }

    void handle(const httplib::Request& req, httplib::Response& res) {
        res.set_header("Cache-Control", "no-store");
        res.set_header("Referrer-Policy", "no-referrer");
        // The query is form-encoded ('+' is a space, "%2B" a plus); httplib's
        // server leaves '+' as it is, so decode the raw target ourselves.
        httplib::Params params;
        if (const auto q = req.target.find('?'); q != std::string::npos)
            httplib::detail::parse_query_text(req.target.substr(q + 1), params);
        auto param = [&params](const char* key) {
            const auto it = params.find(key);
            return it == params.end() ? std::string() : it->second;
        };
        const std::string state = param("state");
        if (req.path != path || !loopback_host(req.get_header_value("Host")) || state.empty() ||
            state != expected_state) {
            res.status = 400;
            res.set_content(page("Unexpected request", "This address only accepts the sign-in redirect of aks-token."),
                            "text/html; charset=utf-8");
            return;
        }
        RedirectResult r;
        r.code = param("code");
        r.error = param("error");
        r.error_description = param("error_description");
        if (r.code.empty() && r.error.empty()) r.error = "invalid_response";
        if (r.error.empty()) {
            res.set_content(page("Signed in", "aks-token received your sign-in. You may close this tab and return to "
                                              "kubectl or your terminal."),
                            "text/html; charset=utf-8");
        } else {
            std::string detail = r.error_description;
            if (const auto nl = detail.find_first_of("\r\n"); nl != std::string::npos) detail.resize(nl);
            res.status = 400;
            res.set_content(page("Sign-in failed", "The identity provider answered: " + r.error +
                                                       (detail.empty() ? "" : " — " + detail) +
                                                       ". Close this tab; aks-token shows what to do next."),
                            "text/html; charset=utf-8");
        }
        std::lock_guard<std::mutex> g(m);
        if (!result) result = r;
        cv.notify_all();
    }
};

LoopbackRedirectListener::LoopbackRedirectListener(const std::string& redirect_url, std::string expected_state)
    : impl_(std::make_unique<Impl>()) {
    impl_->expected_state = std::move(expected_state);
    std::string host = "127.0.0.1";
    int port = 0;
    if (!redirect_url.empty()) {
        check_redirect_url(redirect_url);
        const auto u = parse_url(redirect_url);
        host = u->host == "::1" ? "::1" : "127.0.0.1";
        port = u->port;
        std::string p = u->path;
        if (const auto q = p.find('?'); q != std::string::npos) p.resize(q);
        impl_->path = p.empty() ? "/" : p;
        impl_->redirect_uri = redirect_url;
    }
    impl_->server.Get(".*", [this](const httplib::Request& req, httplib::Response& res) { impl_->handle(req, res); });
    impl_->server.set_keep_alive_max_count(1);
    // httplib's default adds SO_REUSEPORT, which would let a second listener
    // (another program) share the port and take the code.
    impl_->server.set_socket_options([](int sock) {
        int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    if (port == 0) {
        port = impl_->server.bind_to_any_port(host);
        if (port <= 0) throw UsageError("cannot listen on " + host + " for the browser sign-in redirect");
        impl_->redirect_uri = "http://localhost:" + std::to_string(port);
    } else if (!impl_->server.bind_to_port(host, port)) {
        throw UsageError("cannot listen on " + redirect_url + " (--redirect-url): the port is in use");
    }
    impl_->port = port;
    impl_->thread = std::thread([this] {
        impl_->server.listen_after_bind();
        impl_->finished = true;
    });
    // stop() does nothing before the listen loop runs: wait for it.
    while (!impl_->server.is_running() && !impl_->finished) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

LoopbackRedirectListener::~LoopbackRedirectListener() {
    impl_->server.stop();
    if (impl_->thread.joinable()) impl_->thread.join();
}

const std::string& LoopbackRedirectListener::redirect_uri() const { return impl_->redirect_uri; }
int LoopbackRedirectListener::port() const { return impl_->port; }

std::optional<RedirectResult> LoopbackRedirectListener::wait(std::int64_t timeout_ms) {
    std::unique_lock<std::mutex> g(impl_->m);
    impl_->cv.wait_for(g, std::chrono::milliseconds(timeout_ms), [this] { return impl_->result.has_value(); });
    return impl_->result;
}

}  // namespace aks
