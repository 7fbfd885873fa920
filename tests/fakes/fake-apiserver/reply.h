#pragma once
// What a request handler gives back: one response; an event stream (watch
// streams, logs with follow=true), which HTTP/1.1 sends chunked and HTTP/2 as
// DATA frames; or a takeover of the connection (WebSocket/SPDY upgrades,
// HTTP/1.1 only). On takeover the HTTP session hands its stream, the request
// and any bytes already read to the handler's object and steps aside.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/fakes/fake-apiserver/hub.h"

namespace aks::fake_apiserver {

namespace beast = boost::beast;
namespace http = beast::http;

using Stream = beast::ssl_stream<beast::tcp_stream>;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using Takeover = std::function<void(Stream&&, Request&&, beast::flat_buffer&&)>;

// A response that stays open: a 200 with `content_type`, the `initial`
// pieces, then one piece per event of `topic` as `format` renders it ("" skips
// the event). Streams with the same format_key render every event alike.
struct EventStream {
  std::string content_type;
  std::function<std::string(const Event&)> format;
  std::string format_key;
  Topic topic = Topic::PodWatch;
  std::vector<std::string> initial;
};

struct Reply {
  Response response;
  Takeover takeover;                    // when set, `response` is unused
  std::shared_ptr<EventStream> events;  // likewise
  // Send `response` with its full Content-Length but only this many body
  // bytes, then break off: HTTP/1.1 closes the connection, HTTP/2 resets the
  // stream (a response cut mid-body, as a failing API server leaves it).
  std::optional<std::size_t> cut_after;
};

}  // namespace aks::fake_apiserver
