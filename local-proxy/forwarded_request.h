#pragma once
// The admitted client request turned into the request that goes upstream,
// as one pure step (the Exchange runs it; the fuzz target checks what it
// produces): header_rules' rewrite (hop-by-hop headers gone, Host and
// Authorization the proxy's own), Headlamp mode's cookies, the framing set
// again for this hop (chunked, or the one Content-Length value Beast parsed),
// HTTP/1.1, and the upstream's path prefix. Over HTTP/2 the same request
// goes out as forwarded_h2_fields: there is no other way from the client's
// head to the API server.
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/message.hpp>

#include <boost/optional/optional.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "local-proxy/engine_types.h"
#include "local-proxy/h2_session.h"

namespace aks::proxy {

void prepare_forwarded_request(http::request<http::buffer_body>& req, const ProxyContext& ctx,
                               const std::string& authorization, bool upgrade, bool chunked,
                               boost::optional<std::uint64_t> content_length);

// A request prepare_forwarded_request made, as the HTTP/2 header list
// (h2_request_fields): its method, target, Host as :authority, the proxy's
// Authorization; connection-specific fields dropped. `te_trailers`: the
// client's TE named "trailers" (read before the hop-by-hop strip). The fields
// view `req` and `names`.
std::vector<H2Field> forwarded_h2_fields(const http::request<http::buffer_body>& req, bool te_trailers,
                                         std::string& names);

}  // namespace aks::proxy
