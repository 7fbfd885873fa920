#include "local-proxy/launch_gate.h"

namespace aks::proxy {
namespace {

LocalResponse html(http::status status, std::string body, unsigned version, bool keep_alive) {
    LocalResponse res{status, version};
    res.set(http::field::content_type, "text/html; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.body() = std::move(body);
    res.keep_alive(keep_alive);
    res.prepare_payload();
    return res;
}

}  // namespace

std::string joined_cookies(const http::fields& f) {
    std::string out;
    for (auto it = f.find(http::field::cookie); it != f.end() && it->name() == http::field::cookie; ++it) {
        if (!out.empty()) out += "; ";
        out.append(it->value().data(), it->value().size());
    }
    return out;
}

std::optional<LocalResponse> launch_gate(const LaunchSession& session, http::verb method, const std::string& target,
                                         const http::fields& f, unsigned version, bool keep_alive) {
    if (LaunchSession::is_launch_request(target)) {
        if ((method != http::verb::get && method != http::verb::head) || !session.launch_secret_matches(target))
            return html(http::status::unauthorized, launch_required_page(), version, keep_alive);
        session.launched();
        // A page that moves on, not a 302: the browser arrives here from the
        // launch file (a file:// page, another site), and Chromium does not
        // send a SameSite=Strict cookie on a redirect that such a navigation
        // follows. A navigation this page starts is same-site.
        LocalResponse res = html(http::status::ok, launch_landing_page(session.landing()), version, keep_alive);
        res.set(http::field::set_cookie, session.set_cookie());
        // The secret is in this URL: keep it out of the next page's Referer.
        res.set("Referrer-Policy", "no-referrer");
        return res;
    }
    if (session.cookie_matches(joined_cookies(f))) return std::nullopt;
    return html(http::status::unauthorized, launch_required_page(), version, keep_alive);
}

}  // namespace aks::proxy
