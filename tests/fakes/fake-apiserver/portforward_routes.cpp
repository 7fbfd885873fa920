#include <boost/beast/websocket/rfc6455.hpp>

#include <algorithm>

#include "tests/fakes/fake-apiserver/app.h"
#include "tests/fakes/fake-apiserver/portforward_session.h"
#include "tests/fakes/fake-apiserver/responses.h"
#include "tests/fakes/fake-apiserver/routes.h"
#include "tests/fakes/fake-apiserver/spdy_upgrade.h"
#include "tests/fakes/fake-apiserver/status.h"

namespace aks::fake_apiserver {
namespace {

using picojson::object;
using picojson::value;

constexpr const char* kPortForwardProtocol = "portforward.k8s.io";
constexpr const char* kTunnelPrefix = "SPDY/3.1+";  // client-go's WebSocket tunneling subprotocols

bool offered(const std::vector<std::string>& list, const std::string& protocol) {
  return std::find(list.begin(), list.end(), protocol) != list.end();
}

Reply portforward(const Call& c) {
  const std::string ns = c.params.at("namespace");
  const std::string name = c.params.at("name");
  const Object* pod = nullptr;
  for (const Object& o : c.app.fixtures.pods)
    if (o.ns == ns && o.name == name) pod = &o;
  if (!pod) return status_reply(object_not_found_status("pods", "", name));
  const value& uid = pod->json.get("metadata").get("uid");
  PodRef ref{ns, name, uid.is<std::string>() ? uid.get<std::string>() : ""};
  PortForwardTargets* targets = &c.app.portforward_targets;
  SpdyHandlerFactory make = [targets, ref](SpdySession& s) {
    return std::make_unique<PortForwardSession>(s, *targets, ref);
  };
  Reply r;
  if (beast::websocket::is_upgrade(c.request)) {
    if (!c.app.websocket_enabled) return websocket_refused_reply();
    const std::string tunnel = std::string(kTunnelPrefix) + kPortForwardProtocol;
    const auto protocols = offered_websocket_protocols(c.request);
    if (!offered(protocols, tunnel)) return no_common_protocol_reply(protocols, tunnel);
    ++c.app.upgrades.portforward_websocket;
    r.takeover = [make, tunnel](Stream&& stream, Request&& request, beast::flat_buffer&&) {
      start_spdy_over_websocket(std::move(stream), request, tunnel, "portforward", make);
    };
    return r;
  }
  if (!is_spdy_upgrade(c.request))
    return status_reply(bad_request_status("Upgrade request required"));
  const auto protocols = offered_stream_protocols(c.request);
  if (!offered(protocols, kPortForwardProtocol)) return no_common_protocol_reply(protocols, kPortForwardProtocol);
  ++c.app.upgrades.portforward_spdy;
  r.takeover = [make](Stream&& stream, Request&&, beast::flat_buffer&& already_read) {
    start_spdy(std::move(stream), std::move(already_read), kPortForwardProtocol, "portforward", make);
  };
  return r;
}

value targets_json(App& app) {
  object out;
  for (const auto& [port, target] : app.portforward_targets.all()) out[std::to_string(port)] = value(target);
  return value(out);
}

// POST /_control/portforward {"port":8080,"target":"127.0.0.1:NNNN"}; "target":null removes it.
Reply portforward_control(const Call& c) {
  value body;
  const std::string err = picojson::parse(body, c.request.body());
  const value& port = body.get("port");
  if (!err.empty() || !port.is<double>() || port.get<double>() < 1 || port.get<double>() > 65535)
    return text_reply(http::status::bad_request, "portforward needs {\"port\":N, \"target\":\"127.0.0.1:M\"}\n");
  const auto n = static_cast<unsigned>(port.get<double>());
  const value& target = body.get("target");
  if (target.is<std::string>()) {
    try {
      c.app.portforward_targets.set(n, target.get<std::string>());
    } catch (const std::invalid_argument& e) {
      return text_reply(http::status::bad_request, std::string(e.what()) + "\n");
    }
  } else {
    c.app.portforward_targets.erase(n);
  }
  return json_reply(http::status::ok, targets_json(c.app));
}

value websocket_json(App& app) {
  object out;
  out["enabled"] = value(app.websocket_enabled.load());
  return value(out);
}

// POST /_control/websocket {"enabled":false}
Reply websocket_control(const Call& c) {
  value body;
  const std::string err = picojson::parse(body, c.request.body());
  if (!err.empty() || !body.get("enabled").is<bool>())
    return text_reply(http::status::bad_request, "websocket needs {\"enabled\":true|false}\n");
  c.app.websocket_enabled = body.get("enabled").get<bool>();
  return json_reply(http::status::ok, websocket_json(c.app));
}

}  // namespace

Reply websocket_refused_reply() {
  return status_reply(bad_request_status(
      "unable to upgrade connection: WebSocket streaming is turned off on this server (SPDY/3.1 only)"));
}

Reply no_common_protocol_reply(const std::vector<std::string>& offered, const std::string& supported) {
  std::string client;
  for (const auto& p : offered) client += (client.empty() ? "" : " ") + p;
  return status_reply(failure_status(403, "Forbidden",
                                     "unable to upgrade: unable to negotiate protocol: client supports [" + client +
                                         "], server supports [" + supported + "]"));
}

void add_portforward_routes(Router& r) {
  const std::string path = "/api/v1/namespaces/{namespace}/pods/{name}/portforward";
  r.add(http::verb::get, path, Access::Authorized, portforward);
  r.add(http::verb::post, path, Access::Authorized, portforward);
  r.add(http::verb::get, "/_control/portforward", Access::Control,
        [](const Call& c) { return json_reply(http::status::ok, targets_json(c.app)); });
  r.add(http::verb::post, "/_control/portforward", Access::Control, portforward_control);
  r.add(http::verb::get, "/_control/websocket", Access::Control,
        [](const Call& c) { return json_reply(http::status::ok, websocket_json(c.app)); });
  r.add(http::verb::post, "/_control/websocket", Access::Control, websocket_control);
}

}  // namespace aks::fake_apiserver
