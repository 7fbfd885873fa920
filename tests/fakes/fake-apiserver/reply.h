#pragma once
// What a request handler gives back: one response, or a takeover of the
// connection for answers that are not a single response (watch streams,
// logs with follow=true, WebSocket/SPDY upgrades). On takeover the HTTP
// session hands its stream, the request and any bytes already read to the
// handler's object and steps aside.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <functional>

namespace aks::fake_apiserver {

namespace beast = boost::beast;
namespace http = beast::http;

using Stream = beast::ssl_stream<beast::tcp_stream>;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using Takeover = std::function<void(Stream&&, Request&&, beast::flat_buffer&&)>;

struct Reply {
  Response response;
  Takeover takeover;  // when set, `response` is unused
};

}  // namespace aks::fake_apiserver
