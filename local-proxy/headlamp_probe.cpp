#include "local-proxy/headlamp_probe.h"

#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <picojson.h>

#include "core/json_number.h"
#include "core/pkce.h"
#include "core/url.h"
#include "local-proxy/headlamp_cookies.h"
#include "local-proxy/upstream_pool.h"

namespace aks::proxy {
namespace {

std::optional<picojson::value> json(const ProbeAnswer& a) {
    // Never throws (a number beyond double would, from picojson, on this thread of its own).
    return parse_json(a.body);
}

const picojson::value& at(const picojson::value& v, const char* key) {
    static const picojson::value null;
    if (!v.is<picojson::object>()) return null;
    const auto& o = v.get<picojson::object>();
    auto it = o.find(key);
    return it == o.end() ? null : it->second;
}

std::string str(const picojson::value& v) { return v.is<std::string>() ? v.get<std::string>() : std::string(); }

ProbeAnswer fetch(net::io_context& ioc, const std::atomic<bool>& stop, UpstreamPool& pool,
                  const http::request<http::string_body>& req, std::chrono::milliseconds timeout) {
    ProbeAnswer out;
    if (stop) return out;
    std::unique_ptr<UpstreamConn> conn;
    http::response_parser<http::string_body> parser;
    parser.body_limit(4 * 1024 * 1024);
    pool.connect([&](beast::error_code ec, std::unique_ptr<UpstreamConn> c) {
        if (ec) return;
        conn = std::move(c);
        conn->stream.expires_after(timeout);
        http::async_write(conn->stream, req, [&](beast::error_code wec, std::size_t) {
            if (wec) return conn->stream.close();
            conn->stream.expires_after(timeout);
            http::async_read(conn->stream, conn->buffer, parser, [&](beast::error_code rec, std::size_t) {
                conn->stream.close();  // and its deadline: nothing is left to wait for
                if (rec) return;
                out.status = parser.get().result_int();
                out.body = parser.get().body();
            });
        });
    });
    ioc.restart();
    // In slices, so that `stop` ends the probe even when it comes between checks.
    while (!stop && !ioc.stopped()) ioc.run_for(std::chrono::milliseconds(100));
    return out;
}

}  // namespace

std::vector<std::string> headlamp_findings(const HeadlampMode& mode, const ProbeAnswers& a) {
    std::vector<std::string> out;
    if (a.config.status == 200) {
        if (auto v = json(a.config); v && at(*v, "clusters").is<picojson::array>()) {
            std::string names;
            bool found = false;
            for (const picojson::value& c : at(*v, "clusters").get<picojson::array>()) {
                const std::string name = str(at(c, "name"));
                found = found || name == mode.cluster;
                names += (names.empty() ? "" : ", ") + name;
            }
            if (!found)
                out.push_back("Headlamp has no cluster named '" + mode.cluster + "' (it has: " +
                              (names.empty() ? "none" : names) +
                              "), so it never reads the token; start aks-proxy with --headlamp-cluster NAME");
        }
    } else if (a.config.status != 0) {
        out.push_back("Headlamp's /config answered HTTP " + std::to_string(a.config.status) +
                      ": is --upstream / --headlamp-service pointing at Headlamp?");
    }
    if (a.me.status == 200) {
        if (auto v = json(a.me); v && !a.probe_user.empty() && str(at(*v, "username")) == a.probe_user)
            out.push_back("Headlamp runs with -proxy-auth: it believes X-Forwarded-User/-Group/-Email and "
                          "X-Forwarded-Id-Token from whoever reaches it; aks-proxy removes them from the browser's "
                          "requests, but anyone who can reach Headlamp directly can claim any identity in its UI "
                          "and bring any token");
    }
    if (a.review.status == 200 || a.review.status == 201) {
        if (auto v = json(a.review)) {
            const std::string user = str(at(at(at(*v, "status"), "userInfo"), "username"));
            if (user.rfind("system:serviceaccount:", 0) == 0)
                out.push_back("Headlamp acts on the cluster as its service account (" + user +
                              "), not as you: it runs with -unsafe-use-service-account-token, so your Entra ID "
                              "identity and RBAC are not used and anyone who can reach Headlamp has that account's "
                              "rights");
        }
    } else if (a.review.status == 401 && mode.via_service_proxy) {
        out.push_back("Headlamp got no token through the API server's service proxy: Headlamp before v0.35.0 reads "
                      "no token cookie; use a port-forward and --upstream instead of --headlamp-service");
    }
    return out;
}

ProbeAnswers probe_headlamp(net::io_context& ioc, const std::atomic<bool>& stop, const ProxyContext& ctx,
                            const std::string& authorization, std::chrono::milliseconds timeout) {
    const HeadlampMode& mode = *ctx.headlamp;
    const std::string token = authorization.rfind("Bearer ", 0) == 0 ? authorization.substr(7) : std::string();
    auto request = [&](http::verb verb, const std::string& path) {
        http::request<http::string_body> r{verb, ctx.upstream.path_prefix + mode.base + path, 11};
        r.set(http::field::host, ctx.upstream.host_header);
        r.set(http::field::authorization, authorization);
        r.set(http::field::cookie, headlamp_auth_cookies(mode.cookie_cluster, token));
        r.set(http::field::accept, "application/json");
        r.set(http::field::user_agent, "aks-proxy");
        r.keep_alive(false);
        return r;
    };
    UpstreamPool pool(ioc, ctx);
    ProbeAnswers a;
    a.config = fetch(ioc, stop, pool, request(http::verb::get, "config"), timeout);

    a.probe_user = "aks-proxy-probe-" + random_urlsafe(9);
    auto me = request(http::verb::get, "clusters/" + percent_encode(mode.cluster) + "/me");
    me.set("X-Forwarded-User", a.probe_user);
    a.me = fetch(ioc, stop, pool, me, timeout);

    auto review = request(http::verb::post, "clusters/" + percent_encode(mode.cluster) +
                                                "/apis/authentication.k8s.io/v1/selfsubjectreviews");
    review.set(http::field::content_type, "application/json");
    review.body() = R"({"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"})";
    review.prepare_payload();
    a.review = fetch(ioc, stop, pool, review, timeout);
    return a;
}

}  // namespace aks::proxy
