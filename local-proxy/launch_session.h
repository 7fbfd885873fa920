#pragma once
// Headlamp mode's per-run secret. Any local user (and any web page) can reach
// a loopback port; only the person who started aks-proxy sees the launch URL
// it prints. Opening it sets an HttpOnly, SameSite=Strict cookie; requests
// without that cookie get 401. The cookie name carries the port because
// browsers do not separate cookies by port: two proxies must not overwrite
// each other's session.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace aks::proxy {

constexpr const char* kLaunchPath = "/.aks-proxy/launch";

class LaunchSession {
public:
    // `secret`: URL-safe text; `landing`: where the launch redirects (the
    // upstream's base path, "/" by default).
    LaunchSession(std::string secret, std::uint16_t port, std::string landing = "/");
    // 32 bytes from OpenSSL's CSPRNG.
    static LaunchSession generate(std::uint16_t port, std::string landing = "/");

    const std::string& cookie_name() const { return cookie_name_; }
    const std::string& landing() const { return landing_; }
    // Path and query of the launch URL: kLaunchPath + "?secret=...".
    std::string launch_target() const;
    // The request target (path + query) asks for the launch path, right secret or not.
    static bool is_launch_request(std::string_view target);
    // The launch request carries this run's secret (constant-time compare).
    bool launch_secret_matches(std::string_view target) const;
    // The Cookie header holds this run's session cookie (constant-time compare).
    bool cookie_matches(std::string_view cookie_header) const;
    // Value of the Set-Cookie header that the launch answers with.
    std::string set_cookie() const;
    // `f` runs once, the first time the launch URL is used with the right
    // secret (it removes the launch file). Set before serving.
    void on_first_launch(std::function<void()> f) { on_launch_->f = std::move(f); }
    void launched() const;

private:
    struct OnLaunch {
        std::once_flag once;
        std::function<void()> f;
    };
    std::shared_ptr<OnLaunch> on_launch_ = std::make_shared<OnLaunch>();
    std::string secret_;
    std::string cookie_name_;
    std::string landing_;
};

// The body of the 401 that a request without the session cookie gets.
std::string launch_required_page();
// The launch answer's body: moves on to `landing` at once (meta refresh, a link).
std::string launch_landing_page(const std::string& landing);

}  // namespace aks::proxy
