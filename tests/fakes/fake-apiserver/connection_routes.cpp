// Test controls for the connections themselves: which protocol clients got,
// HTTP/2 on or off, GOAWAY on demand, streams broken off mid-body.
#include <cstdlib>

#include "tests/fakes/fake-apiserver/app.h"
#include "tests/fakes/fake-apiserver/h2_session.h"
#include "tests/fakes/fake-apiserver/responses.h"
#include "tests/fakes/fake-apiserver/routes.h"

namespace aks::fake_apiserver {
namespace {

using picojson::object;
using picojson::value;

value number(std::uint64_t n) { return value(static_cast<double>(n)); }

// GET /_control/connections: TLS connections accepted so far, by the protocol
// ALPN chose (h2, http1; no_alpn for clients that offered none), and the
// HTTP/2 ones still open.
Reply connections(const Call& c) {
  object out;
  out["accepted"] = number(c.app.connections.accepted);
  out["h2"] = number(c.app.connections.h2);
  out["http1"] = number(c.app.connections.http1);
  out["no_alpn"] = number(c.app.connections.no_alpn);
  out["h2_open"] = number(c.app.h2_sessions.live().size());
  out["http2_enabled"] = value(c.app.http2_enabled.load());
  return json_reply(http::status::ok, value(out));
}

// POST /_control/http2 {"enabled":false}: later handshakes offer http/1.1 only
// (an API server behind a proxy that does not speak HTTP/2).
Reply http2_switch(const Call& c) {
  value body;
  const std::string err = picojson::parse(body, c.request.body());
  if (!err.empty() || !body.get("enabled").is<bool>())
    return text_reply(http::status::bad_request, "http2 needs {\"enabled\":true|false}\n");
  c.app.http2_enabled = body.get("enabled").get<bool>();
  return connections(c);
}

// POST /_control/goaway: every open HTTP/2 connection gets a graceful GOAWAY,
// as kube-apiserver's --goaway-chance sends it.
Reply goaway(const Call& c) {
  const auto sessions = c.app.h2_sessions.live();
  for (const auto& s : sessions) s->goaway();
  object out;
  out["goaway"] = number(sessions.size());
  return json_reply(http::status::ok, value(out));
}

// POST /_control/abort {"topic":"watch"|"logs"}: every open stream of the
// topic breaks off mid-body (HTTP/2: RST_STREAM; HTTP/1.1: the connection
// closes before the last chunk).
Reply abort_streams(const Call& c) {
  value body;
  const std::string err = picojson::parse(body, c.request.body());
  const std::string topic = err.empty() && body.get("topic").is<std::string>() ? body.get("topic").get<std::string>() : "";
  if (topic != "watch" && topic != "logs")
    return text_reply(http::status::bad_request, "abort needs {\"topic\":\"watch\"|\"logs\"}\n");
  auto event = std::make_shared<Event>();
  event->abort = true;
  object out;
  out["aborted"] = number(c.app.hub.publish(topic == "watch" ? Topic::PodWatch : Topic::Logs, event));
  return json_reply(http::status::ok, value(out));
}

// GET /_control/cut?bytes=N: a 2N-byte body declared, N bytes sent, then the
// response breaks off.
Reply cut(const Call& c) {
  auto it = c.target.query.find("bytes");
  const std::size_t n = it == c.target.query.end() ? 0 : std::strtoull(it->second.c_str(), nullptr, 10);
  if (n == 0 || n > 16 * 1024 * 1024) return text_reply(http::status::bad_request, "cut needs ?bytes=1..16777216\n");
  Reply r = text_reply(http::status::ok, std::string(2 * n, 'c'));
  r.response.set(http::field::content_type, "application/octet-stream");
  r.cut_after = n;
  return r;
}

}  // namespace

void add_connection_routes(Router& r) {
  r.add(http::verb::get, "/_control/connections", Access::Control, connections);
  r.add(http::verb::post, "/_control/http2", Access::Control, http2_switch);
  r.add(http::verb::post, "/_control/goaway", Access::Control, goaway);
  r.add(http::verb::post, "/_control/abort", Access::Control, abort_streams);
  r.add(http::verb::get, "/_control/cut", Access::Control, cut);
}

}  // namespace aks::fake_apiserver
