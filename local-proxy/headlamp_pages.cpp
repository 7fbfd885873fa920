#include "local-proxy/headlamp_pages.h"

#include <boost/beast/core/string.hpp>

#include "core/html_escape.h"
#include "local-proxy/cookie_header.h"

namespace aks::proxy {
namespace {

std::string_view sv(boost::beast::string_view s) { return {s.data(), s.size()}; }

bool has_cookie(const http::fields& f, std::string_view name) {
    for (auto it = f.find(http::field::cookie); it != f.end() && it->name() == http::field::cookie; ++it)
        for (const CookiePair& c : cookie_pairs(sv(it->value())))
            if (c.name == name) return true;
    return false;
}

// "aks-token login --context X ..." → "aks-token logout --context X ...".
std::string logout_command(const std::string& login) {
    const std::string prefix = "aks-token login";
    if (login.compare(0, prefix.size(), prefix) == 0) return "aks-token logout" + login.substr(prefix.size());
    return "aks-token logout";
}

LocalResponse page(http::status status, const std::string& title, const std::string& body, const HeadlampRequest& r,
                   bool refresh = false) {
    LocalResponse res{status, r.version};
    res.set(http::field::content_type, "text/html; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.body() = "<!doctype html><html><head><meta charset=\"utf-8\">" +
                 std::string(refresh ? "<meta http-equiv=\"refresh\" content=\"5\">" : "") + "<title>" +
                 html_escape(title) + " - aks-proxy</title></head><body><h1>" + html_escape(title) + "</h1>" + body +
                 "</body></html>\n";
    res.keep_alive(r.keep_alive);
    res.prepare_payload();
    return res;
}

std::string command(const std::string& cmd) { return "<pre><code>" + html_escape(cmd) + "</code></pre>"; }

std::string link(const std::string& href, const std::string& text) {
    return "<p><a href=\"" + html_escape(href) + "\">" + html_escape(text) + "</a></p>";
}

LocalResponse no_token_page(const HeadlampMode& m, const HeadlampRequest& r) {
    return page(http::status::unauthorized, "Sign in to use Headlamp",
                "<p>aks-proxy has no Entra ID token for context <b>" + html_escape(m.context) +
                    "</b>. In a terminal, run:</p>" + command(m.login_command) +
                    "<p>This page reloads by itself once you have signed in.</p>",
                r, true);
}

LocalResponse token_route_page(const HeadlampMode& m, const HeadlampRequest& r) {
    if (!r.has_token) return no_token_page(m, r);
    return page(http::status::ok, "No token to paste",
                "<p>aks-proxy adds the token that aks-token keeps for context <b>" + html_escape(m.context) +
                    "</b> to every request Headlamp makes; a token pasted into Headlamp is not used.</p>"
                    "<p>If Headlamp keeps asking for a token, the cluster refused that identity. See who it is with "
                    "<code>kubectl auth whoami --context " + html_escape(m.context) +
                    "</code>; to sign in as someone else, run <code>aks-token login</code> with that identity's "
                    "flags, as in:</p>" + command(m.login_command) +
                    link(m.base + "c/" + m.cluster + "/", "Continue to Headlamp"),
                r);
}

LocalResponse notice_page(const HeadlampMode& m, const HeadlampRequest& r) {
    LocalResponse res = page(
        http::status::ok, "Headlamp's token and Log out do nothing here",
        "<p>aks-proxy signs every request in with the token that aks-token keeps for context <b>" +
            html_escape(m.context) +
            "</b>: a token pasted into Headlamp is not used, and Headlamp's Log out cannot sign you out.</p>"
            "<p>To sign out, stop aks-proxy (Ctrl-C) and run:</p>" + command(logout_command(m.login_command)) +
            "<p>To sign in as someone else, run <code>aks-token login</code> with that identity's flags, as in:</p>" +
            command(m.login_command) + link(m.base, "Back to Headlamp"),
        r);
    res.set(http::field::set_cookie, std::string(kNoticeCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    return res;
}

// set-token and Log out: not forwarded; the page reloads onto the notice.
LocalResponse set_token_answer(const HeadlampRequest& r) {
    LocalResponse res{http::status::ok, r.version};
    res.set(http::field::cache_control, "no-store");
    res.set("X-Reload", "reload");
    res.set(http::field::set_cookie,
            std::string(kNoticeCookie) + "=token; Path=/; Max-Age=120; HttpOnly; SameSite=Strict");
    res.keep_alive(r.keep_alive);
    res.prepare_payload();
    return res;
}

bool is_set_token(const HeadlampMode& m, std::string_view path) {
    if (path.substr(0, m.base.size()) != m.base) return false;
    path.remove_prefix(m.base.size());
    if (path == "auth/set-token") return true;
    const std::string_view clusters = "clusters/", tail = "/set-token";
    if (path.size() <= clusters.size() + tail.size() || path.substr(0, clusters.size()) != clusters ||
        path.substr(path.size() - tail.size()) != tail)
        return false;
    const std::string_view cluster = path.substr(clusters.size(), path.size() - clusters.size() - tail.size());
    return cluster.find('/') == std::string_view::npos;
}

}  // namespace

bool is_navigation(http::verb method, const http::fields& f) {
    if (method != http::verb::get && method != http::verb::head) return false;
    const auto mode = f.find("Sec-Fetch-Mode");
    if (mode != f.end()) return boost::beast::iequals(mode->value(), "navigate");
    const auto accept = f.find(http::field::accept);
    return accept != f.end() && sv(accept->value()).find("text/html") != std::string_view::npos &&
           f.count(http::field::upgrade) == 0;
}

std::optional<LocalResponse> headlamp_local_reply(const HeadlampMode& m, const HeadlampRequest& r) {
    if (r.method == http::verb::post && is_set_token(m, r.path)) return set_token_answer(r);
    const bool navigation = is_navigation(r.method, r.fields);
    if (navigation && has_cookie(r.fields, kNoticeCookie)) return notice_page(m, r);
    if (navigation && r.path == m.base + "c/" + m.cluster + "/token") return token_route_page(m, r);
    if (r.has_token) return std::nullopt;
    if (navigation) return no_token_page(m, r);
    if (r.fields.count(http::field::upgrade) > 0) return std::nullopt;  // the usual 401: a socket cannot reload
    LocalResponse res =
        status_response(http::status::unauthorized, "Unauthorized", r.missing_token, r.version, r.keep_alive);
    res.set("X-Reload", "reload");
    return res;
}

}  // namespace aks::proxy
