#include "local-proxy/forwarded_request.h"

#include "local-proxy/headlamp_cookies.h"
#include "local-proxy/header_rules.h"
#include "local-proxy/launch_gate.h"
#include "local-proxy/upstream.h"

namespace aks::proxy {

void prepare_forwarded_request(http::request<http::buffer_body>& req, const ProxyContext& ctx,
                               const std::string& authorization, bool upgrade, bool chunked,
                               boost::optional<std::uint64_t> content_length) {
    rewrite_request_headers(req, ctx.upstream.host_header, authorization, upgrade);
    if (ctx.launch) {
        // Headlamp prefers its own cookie over Authorization: stale ones go,
        // the fresh token goes in; our session cookie stays between browser and us.
        const std::string cookies = rewrite_headlamp_cookies(
            joined_cookies(req),
            {ctx.launch->cookie_name(), ctx.headlamp_cluster,
             authorization.rfind("Bearer ", 0) == 0 ? authorization.substr(7) : std::string()});
        req.erase(http::field::cookie);
        if (!cookies.empty()) req.set(http::field::cookie, cookies);
    }
    if (chunked)
        req.chunked(true);  // Transfer-Encoding is hop-by-hop: set again for this hop
    else if (content_length)
        req.content_length(*content_length);  // the value Beast framed the body by, written canonically
    req.version(11);
    if (!ctx.upstream.path_prefix.empty()) req.target(ctx.upstream.path_prefix + std::string(req.target()));
}

}  // namespace aks::proxy
