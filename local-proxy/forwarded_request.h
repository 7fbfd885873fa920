#pragma once
// The admitted client request turned into the request that goes upstream,
// as one pure step (the Exchange runs it; the fuzz target checks what it
// produces): header_rules' rewrite (hop-by-hop headers gone, Host and
// Authorization the proxy's own), Headlamp mode's cookies, the framing set
// again for this hop (chunked, or the one Content-Length value Beast parsed),
// HTTP/1.1, and the upstream's path prefix.
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/message.hpp>

#include <cstdint>
#include <boost/optional/optional.hpp>
#include <string>

#include "local-proxy/engine_types.h"

namespace aks::proxy {

void prepare_forwarded_request(http::request<http::buffer_body>& req, const ProxyContext& ctx,
                               const std::string& authorization, bool upgrade, bool chunked,
                               boost::optional<std::uint64_t> content_length);

}  // namespace aks::proxy
