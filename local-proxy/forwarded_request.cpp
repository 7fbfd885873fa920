#include "local-proxy/forwarded_request.h"

#include "local-proxy/h2_headers.h"
#include "local-proxy/header_rules.h"
#include "local-proxy/headlamp_request.h"
#include "local-proxy/request_target.h"
#include "local-proxy/upstream.h"

namespace aks::proxy {

void prepare_forwarded_request(http::request<http::buffer_body>& req, const ProxyContext& ctx,
                               const std::string& authorization, bool upgrade, bool chunked,
                               boost::optional<std::uint64_t> content_length) {
    const std::string target(req.target());
    rewrite_request_headers(req, ctx.upstream.host_header, authorization, upgrade);
    if (ctx.headlamp) {
        // Stale token cookies and identity claims go, the fresh token goes in
        // as the cookies Headlamp reads (headlamp_request.h).
        const std::string_view bearer = authorization;
        const std::string_view token = bearer.substr(0, 7) == "Bearer " ? bearer.substr(7) : std::string_view();
        // Admitted requests have canonical paths (request_target.h).
        rewrite_headlamp_request(req, canonical_path(target).path, *ctx.headlamp, token);
    }
    if (chunked)
        req.chunked(true);  // Transfer-Encoding is hop-by-hop: set again for this hop
    else if (content_length)
        req.content_length(*content_length);  // the value Beast framed the body by, written canonically
    req.version(11);
    if (!ctx.upstream.path_prefix.empty()) req.target(ctx.upstream.path_prefix + target);
}

std::vector<H2Field> forwarded_h2_fields(const http::request<http::buffer_body>& req, bool te_trailers,
                                         std::string& names) {
    const boost::beast::string_view method = req.method_string(), target = req.target();
    return h2_request_fields(req, {method.data(), method.size()}, {target.data(), target.size()}, te_trailers, names);
}

}  // namespace aks::proxy
