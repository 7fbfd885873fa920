#include "local-proxy/admission.h"

#include "local-proxy/fetch_metadata.h"
#include "local-proxy/header_rules.h"
#include "local-proxy/headlamp_pages.h"
#include "local-proxy/headlamp_request.h"
#include "local-proxy/launch_gate.h"
#include "local-proxy/request_target.h"

namespace aks::proxy {
namespace {

std::string sv_string(boost::beast::string_view s) { return std::string(s.data(), s.size()); }

Admission answer(LocalResponse res, const char* note) {
    Admission a;
    a.reply = std::move(res);
    a.note = note;
    return a;
}

Admission closing(http::status status, const char* reason, const std::string& message, const char* note) {
    return answer(status_response(status, reason, "aks-proxy: " + message, 11, false), note);
}

}  // namespace

Admission refuse_head(HeadState state, const char* problem, const HeadLimits& limits) {
    switch (state) {
        case HeadState::TooLarge:
            return closing(http::status::request_header_fields_too_large, "RequestHeaderFieldsTooLarge",
                           "the request head is larger than " + std::to_string(limits.max_head) + " bytes",
                           "header too large");
        case HeadState::TooManyFields:
            return closing(http::status::request_header_fields_too_large, "RequestHeaderFieldsTooLarge",
                           "the request has more than " + std::to_string(limits.max_fields) + " header fields",
                           "too many fields");
        case HeadState::RequestLineTooLong:
            return closing(http::status::uri_too_long, "RequestURITooLong",
                           "the request line is longer than " + std::to_string(limits.max_request_line) + " bytes",
                           "request line too long");
        default:
            return closing(http::status::bad_request, "BadRequest",
                           std::string("malformed HTTP request: ") + problem, "malformed");
    }
}

Admission refuse_unparsable(const boost::beast::error_code& ec) {
    return closing(http::status::bad_request, "BadRequest", "malformed HTTP request: " + ec.message(), "malformed");
}

Admission admit_request(const http::request<http::buffer_body>& req, bool body_done, const ProxyContext& ctx) {
    const unsigned version = req.version();
    const std::string method = sv_string(req.method_string());
    const std::string target = sv_string(req.target());
    // A refusal leaves any request body unread, so the connection cannot carry another request.
    const bool can_continue = body_done && req.keep_alive();
    auto refuse = [&](http::status s, const char* reason, const std::string& message, const char* note) {
        const bool keep = can_continue && s != http::status::bad_request;
        return answer(status_response(s, reason, "aks-proxy: " + message, version, keep), note);
    };

    if (req.method() == http::verb::connect)
        return answer(status_response(http::status::method_not_allowed, "MethodNotAllowed",
                                      "aks-proxy: CONNECT is refused: aks-proxy is not a forward proxy", version, false),
                      "connect refused");
    switch (target_form(target)) {
        case TargetForm::Origin:
            break;
        case TargetForm::Asterisk:
            return refuse(http::status::bad_request, "BadRequest", "OPTIONS * is not served", "bad target");
        case TargetForm::Absolute:
            return refuse(http::status::bad_request, "BadRequest",
                          "absolute-form request targets (http://host/path) are refused: aks-proxy is not a forward "
                          "proxy; send the path only",
                          "bad target");
        default:
            return refuse(http::status::bad_request, "BadRequest", "the request target must be a path beginning with /",
                          "bad target");
    }
    if (auto bad = framing_error(req, version)) return refuse(http::status::bad_request, "BadRequest", *bad, "bad framing");
    if (req.count(http::field::host) != 1)
        return refuse(http::status::bad_request, "BadRequest", "exactly one Host header is required", "no host");
    const std::string host_header = sv_string(req[http::field::host]);
    const std::string host = host_without_port(host_header);
    if (!ctx.filter.host_accepted(host))
        return refuse(http::status::forbidden, "Forbidden", "Host '" + host + "' is not accepted (see --accept-hosts)",
                      "host refused");
    // Browsers send Origin on cross-site requests and WebSocket handshakes; a
    // page from another site must not drive the cluster through this proxy.
    std::optional<std::string> origin;
    if (auto it = req.find(http::field::origin); it != req.end()) origin = sv_string(it->value());
    if (req.count(http::field::origin) > 1 || !origin_allowed(origin, host_header))
        return refuse(http::status::forbidden, "Forbidden", "cross-origin requests are refused", "origin refused");
    // What a page sends without Origin (no-cors GETs, navigations) still
    // carries Sec-Fetch-Site. Only the launch URL may come from elsewhere:
    // the launch file is a file:// page, so its navigation is cross-site, and
    // without this run's secret the launch answers the same 401 page.
    if (auto why = fetch_site_refusal(req); why && !(ctx.launch && LaunchSession::is_launch_request(target)))
        return refuse(http::status::forbidden, "Forbidden", *why, "fetch site refused");
    if ((req.method() == http::verb::get || req.method() == http::verb::head) &&
        target.substr(0, target.find('?')) == "/healthz")
        return answer(text_response(http::status::ok, "ok", version, can_continue), "local");
    // Headlamp mode: only the browser that opened this run's launch URL.
    if (ctx.launch) {
        if (auto local = launch_gate(*ctx.launch, req.method(), target, req, version, can_continue))
            return answer(std::move(*local), local->result() == http::status::ok ? "launch" : "no session");
    }
    const CanonicalPath path = canonical_path(target);
    if (!path.ok)
        return refuse(http::status::bad_request, "BadRequest", path.problem + " (paths must be canonical)", "bad path");
    // Headlamp mode: the sign-in pieces aks-proxy answers itself (headlamp_pages.h).
    if (ctx.headlamp) {
        const bool has_token = ctx.tokens.authorization() != nullptr;
        const HeadlampRequest hr{req.method(),  path.path, req, has_token,
                                 has_token ? "" : "aks-proxy: " + ctx.tokens.missing_token_message(),
                                 version,       can_continue};
        if (auto local = headlamp_local_reply(*ctx.headlamp, hr)) return answer(std::move(*local), "headlamp page");
    }
    switch (ctx.filter.check(method, path.path, host)) {
        case FilterVerdict::RejectPath:
            return refuse(http::status::forbidden, "Forbidden",
                          "path '" + path.path + "' is refused (see --accept-paths / --reject-paths)", "path refused");
        case FilterVerdict::RejectMethod:
            return refuse(http::status::forbidden, "Forbidden", "method " + method + " is refused (see --reject-methods)",
                          "method refused");
        case FilterVerdict::RejectHost:  // checked above
        case FilterVerdict::Accept:
            break;
    }
    // Headlamp sends /clusters/<c>/<API path> on to the API server as <API
    // path>: --reject-paths sees that path too (exec, attach, nodes/proxy).
    if (ctx.headlamp) {
        if (const auto api = headlamp_api_path(path.path, *ctx.headlamp); api && ctx.filter.path_rejected(*api))
            return refuse(http::status::forbidden, "Forbidden",
                          "path '" + path.path + "' is refused: Headlamp would send '" + std::string(*api) +
                              "' to the API server (see --reject-paths)",
                          "path refused");
    }
    Admission a;
    a.authorization = ctx.tokens.authorization();
    if (!a.authorization)
        return refuse(http::status::unauthorized, "Unauthorized", ctx.tokens.missing_token_message(), "no token");
    a.path = path.path;
    return a;
}

}  // namespace aks::proxy
