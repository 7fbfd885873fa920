#include "local-proxy/launch_session.h"

#include <openssl/crypto.h>

#include "core/html_escape.h"
#include "core/pkce.h"
#include "local-proxy/cookie_header.h"

namespace aks::proxy {
namespace {

bool same_secret(std::string_view a, const std::string& b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), b.size()) == 0;
}

}  // namespace

LaunchSession::LaunchSession(std::string secret, std::uint16_t port, std::string landing)
    : secret_(std::move(secret)), cookie_name_("aks-proxy-" + std::to_string(port)), landing_(std::move(landing)) {}

LaunchSession LaunchSession::generate(std::uint16_t port, std::string landing) {
    return LaunchSession(random_urlsafe(32), port, std::move(landing));
}

std::string LaunchSession::launch_target() const { return std::string(kLaunchPath) + "?secret=" + secret_; }

bool LaunchSession::is_launch_request(std::string_view target) {
    const std::string_view path = target.substr(0, target.find('?'));
    return path == kLaunchPath;
}

bool LaunchSession::launch_secret_matches(std::string_view target) const {
    const std::size_t q = target.find('?');
    if (!is_launch_request(target) || q == std::string_view::npos) return false;
    std::string_view query = target.substr(q + 1);
    int secrets = 0;
    bool match = false;
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.substr(0, 7) == "secret=") {
            ++secrets;
            match = same_secret(pair.substr(7), secret_);
        }
    }
    return secrets == 1 && match;  // a repeated secret parameter is refused (ambiguous), however often
}

bool LaunchSession::cookie_matches(std::string_view cookie_header) const {
    bool match = false;
    for (const CookiePair& c : cookie_pairs(cookie_header)) {
        if (c.name == cookie_name_ && same_secret(c.value, secret_)) match = true;
    }
    return match;
}

std::string LaunchSession::set_cookie() const {
    return cookie_name_ + "=" + secret_ + "; Path=/; HttpOnly; SameSite=Strict";
}

void LaunchSession::launched() const {
    std::call_once(on_launch_->once, [this] {
        if (on_launch_->f) on_launch_->f();
    });
}

std::string launch_required_page() {
    return "<!doctype html><html><head><meta charset=\"utf-8\"><title>aks-proxy</title></head><body>"
           "<h1>Open the launch URL</h1><p>This aks-proxy only serves the browser that opened the launch URL "
           "it printed when it started (<code>http://ADDRESS:PORT/.aks-proxy/launch?secret=...</code>). "
           "Open that URL, or restart aks-proxy to get a new one.</p></body></html>\n";
}

std::string launch_landing_page(const std::string& landing) {
    const std::string href = html_escape(landing);
    return "<!doctype html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url=" + href +
           "\"><title>aks-proxy</title></head><body><p><a href=\"" + href +
           "\">Continue to Headlamp</a></p></body></html>\n";
}

}  // namespace aks::proxy
