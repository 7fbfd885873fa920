#pragma once
// HTTP/1.1 ↔ HTTP/2 head mapping as pure functions (table-tested in
// tests/unit/test_h2_headers.cpp): the client's request, already rewritten
// for the API server (rewrite_request_headers), becomes an HTTP/2 header
// list; the API server's HTTP/2 response head becomes the HTTP/1.1 head the
// client reads.
#include <boost/beast/http/fields.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "local-proxy/h2_session.h"

namespace aks::proxy {

namespace http = boost::beast::http;

// RFC 9113 8.3.1 and 8.2.2, as golang.org/x/net/internal/httpcommon
// EncodeHeaders (client-go's path) does it: :method, :scheme https,
// :authority from Host, :path the target; names in lower case;
// connection-specific fields (Connection, Keep-Alive, Proxy-Connection,
// Transfer-Encoding, Upgrade) never sent; TE only as "trailers", and only when
// the client asked for trailers (`te_trailers`, read before the hop-by-hop
// strip; Go's ReverseProxy keeps "Te: trailers" the same way); Cookie split
// into one field per cookie-pair (8.2.3, for HPACK). The fields view
// `request`, static names, and `names` (lower-cased names, filled here; it
// must not change while the fields are in use): no value is copied.
std::vector<H2Field> h2_request_fields(const http::fields& request, std::string_view method, std::string_view target,
                                       bool te_trailers, std::string& names);

// Whether a TE header value lists "trailers" (any case, any position).
bool te_has_trailers(const http::fields& request);

// How the client learns where the body ends.
enum class BodyFraming {
    none,     // no body follows (HEAD, 204, 304): fields as they are
    length,   // the API server's Content-Length
    empty,    // the stream ended without a body and said no length: Content-Length: 0
    chunked,  // HTTP/1.1 client, length unknown: Transfer-Encoding: chunked
    close,    // HTTP/1.0 client, length unknown: the body ends with the connection
};

// The Content-Length an HTTP/2 response head declares (nghttp2 has checked
// it is a number and will reset a stream whose DATA disagree).
std::optional<std::uint64_t> h2_content_length(const std::vector<H2Field>& fields);

// "HTTP/1.1 200 OK\r\n" + fields + framing + "\r\n". Field names get the
// canonical capitalisation Go's net/http gives them (Content-Type), so the
// client sees what kubectl proxy would send; connection-specific fields are
// dropped. `keep_alive` false adds Connection: close; `http10_client` with
// keep-alive adds Connection: keep-alive.
std::string http1_response_head(int status, const std::vector<H2Field>& fields, BodyFraming framing, bool keep_alive,
                                bool http10_client);

}  // namespace aks::proxy
