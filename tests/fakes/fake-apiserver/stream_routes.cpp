#include <boost/beast/websocket/rfc6455.hpp>

#include <algorithm>
#include <cstdlib>
#include <ctime>

#include "tests/fakes/fake-apiserver/app.h"
#include "tests/fakes/fake-apiserver/blast.h"
#include "tests/fakes/fake-apiserver/exec_session.h"
#include "tests/fakes/fake-apiserver/pipeline.h"
#include "tests/fakes/fake-apiserver/responses.h"
#include "tests/fakes/fake-apiserver/routes.h"
#include "tests/fakes/fake-apiserver/spdy_exec_session.h"
#include "tests/fakes/fake-apiserver/spdy_upgrade.h"
#include "tests/fakes/fake-apiserver/status.h"

namespace aks::fake_apiserver {
namespace {

using picojson::array;
using picojson::object;
using picojson::value;

std::string param(const Call& c, const char* name) {
  auto it = c.params.find(name);
  return it == c.params.end() ? "" : it->second;
}

bool query_true(const Call& c, const char* name) {
  auto it = c.target.query.find(name);
  return it != c.target.query.end() && (it->second == "true" || it->second == "1");
}

const Object* find_pod(const Call& c) {
  for (const Object& o : c.app.fixtures.pods)
    if (o.ns == param(c, "namespace") && o.name == param(c, "name")) return &o;
  return nullptr;
}

std::vector<std::string> log_lines(const std::string& pod) {
  return {"2026-01-01T00:00:00Z starting " + pod + "\n", "2026-01-01T00:00:01Z ready\n"};
}

Reply pod_log(const Call& c) {
  const Object* pod = find_pod(c);
  if (!pod) return status_reply(object_not_found_status("pods", "", param(c, "name")));
  std::vector<std::string> lines = log_lines(pod->name);
  if (!query_true(c, "follow")) {
    std::string all;
    for (auto& l : lines) all += l;
    return text_reply(http::status::ok, all);
  }
  Reply r;
  r.events = std::make_shared<EventStream>(
      EventStream{"text/plain", [](const Event& e) { return e.text; }, "log", Topic::Logs, lines});
  return r;
}

Reply exec(const Call& c) {
  if (!find_pod(c)) return status_reply(object_not_found_status("pods", "", param(c, "name")));
  std::vector<std::string> command;
  for (auto [it, end] = c.target.all.equal_range("command"); it != end; ++it)
    command.push_back(it->second);
  if (c.target.path.size() > 7 && c.target.path.substr(c.target.path.size() - 7) == "/attach")
    command = {"cat"};  // the fake's main process echoes what it is given
  Reply r;
  if (beast::websocket::is_upgrade(c.request)) {
    if (!c.app.websocket_enabled) return websocket_refused_reply();
    ++c.app.upgrades.exec_websocket;
    r.takeover = [command](Stream&& stream, Request&& request, beast::flat_buffer&&) {
      std::make_shared<ExecSession>(std::move(stream), command)->run(std::move(request));
    };
    return r;
  }
  // kubectl's fallback: SPDY/3.1 with the v4 channel protocol.
  if (!is_spdy_upgrade(c.request))
    return status_reply(bad_request_status(
        "fake-apiserver runs exec/attach over WebSocket (v5.channel.k8s.io) or SPDY/3.1 (v4.channel.k8s.io) only"));
  const std::string v4 = "v4.channel.k8s.io";
  const auto protocols = offered_stream_protocols(c.request);
  if (std::find(protocols.begin(), protocols.end(), v4) == protocols.end())
    return no_common_protocol_reply(protocols, v4);
  ++c.app.upgrades.exec_spdy;
  ExecStreams want{query_true(c, "stdin"), query_true(c, "stdout"), query_true(c, "stderr"), query_true(c, "tty")};
  r.takeover = [command, want, v4](Stream&& stream, Request&&, beast::flat_buffer&& already_read) {
    start_spdy(std::move(stream), std::move(already_read), v4, "exec",
               [command, want](SpdySession& s) { return std::make_unique<SpdyExecSession>(s, command, want); });
  };
  return r;
}

// Protocol Buffers, just enough for one answer: length-delimited fields and varints.
std::string pb_varint(unsigned field, std::uint64_t v) {
  std::string out(1, static_cast<char>(field << 3));
  do {
    unsigned char b = v & 0x7f;
    v >>= 7;
    out += static_cast<char>(v ? b | 0x80 : b);
  } while (v);
  return out;
}

std::string pb_bytes(unsigned field, const std::string& data) {
  std::string out = pb_varint(field, data.size());
  out[0] = static_cast<char>(field << 3 | 2);
  return out + data;
}

// kubectl sends SelfSubjectAccessReview as protobuf: answer in the
// runtime.Unknown envelope ("k8s\0", typeMeta, raw) with only status set.
Reply protobuf_access_review(bool allowed, const std::string& reason) {
  std::string status = pb_varint(1, allowed ? 1 : 0);
  if (!reason.empty()) status += pb_bytes(2, reason);
  std::string raw = pb_bytes(3, status);
  std::string type_meta = pb_bytes(1, "authorization.k8s.io/v1") + pb_bytes(2, "SelfSubjectAccessReview");
  std::string unknown = pb_bytes(1, type_meta) + pb_bytes(2, raw) + pb_bytes(3, "") + pb_bytes(4, "");
  Reply r;
  r.response.result(http::status::created);
  r.response.set(http::field::content_type, "application/vnd.kubernetes.protobuf");
  r.response.body() = std::string("k8s\0", 4) + unknown;
  return r;
}

// `kubectl auth can-i`: allowed exactly when the fake's RBAC would allow a resource request.
Reply access_review(const Call& c) {
  const bool allowed_pb = rbac_allows(c.app.options, *c.user);
  if (std::string(c.request[http::field::content_type]).find("protobuf") != std::string::npos)
    return protobuf_access_review(allowed_pb, allowed_pb ? "" : "not in the fake's --allow-user/--allow-group lists");
  value body;
  std::string err = picojson::parse(body, c.request.body());
  if (!err.empty() || !body.is<object>())
    return status_reply(bad_request_status("SelfSubjectAccessReview body is not JSON"));
  object review = body.get<object>();
  const bool allowed = rbac_allows(c.app.options, *c.user);
  object status;
  status["allowed"] = value(allowed);
  if (!allowed) status["reason"] = value("not in the fake's --allow-user/--allow-group lists");
  review["status"] = value(status);
  review["kind"] = value("SelfSubjectAccessReview");
  review["apiVersion"] = value("authorization.k8s.io/v1");
  return json_reply(http::status::created, value(review));
}

// Headlamp's auth test (frontend/src/lib/k8s/api/v1/clusterApi.ts testAuth):
// every authenticated user may ask; the rules follow the fake's RBAC.
Reply rules_review(const Call& c) {
  value body;
  std::string err = picojson::parse(body, c.request.body());
  if (!err.empty() || !body.is<object>())
    return status_reply(bad_request_status("SelfSubjectRulesReview body is not JSON"));
  object review = body.get<object>();
  object rule;
  rule["verbs"] = value(array{value("get"), value("list"), value("watch")});
  rule["apiGroups"] = value(array{value("*")});
  rule["resources"] = value(array{value("*")});
  array rules;
  if (rbac_allows(c.app.options, *c.user)) rules.push_back(value(rule));
  object status;
  status["resourceRules"] = value(rules);
  status["nonResourceRules"] = value(array{});
  status["incomplete"] = value(false);
  review["status"] = value(status);
  review["kind"] = value("SelfSubjectRulesReview");
  review["apiVersion"] = value("authorization.k8s.io/v1");
  return json_reply(http::status::created, value(review));
}

// POST /_control/emit {"type":"ADDED","name":"web-2","namespace":"default"}
Reply emit(const Call& c) {
  value body;
  std::string err = picojson::parse(body, c.request.body());
  if (!err.empty() || !body.is<object>() || !body.get("name").is<std::string>())
    return text_reply(http::status::bad_request, "emit needs {\"type\":..., \"name\":...}\n");
  auto event = std::make_shared<Event>();
  event->type = body.get("type").is<std::string>() ? body.get("type").get<std::string>() : "ADDED";
  Object pod = c.app.fixtures.pods.front();
  pod.name = body.get("name").get<std::string>();
  if (body.get("namespace").is<std::string>()) pod.ns = body.get("namespace").get<std::string>();
  pod.created = std::time(nullptr);
  object& meta = pod.json.get<object>()["metadata"].get<object>();
  meta["name"] = value(pod.name);
  meta["namespace"] = value(pod.ns);
  meta["resourceVersion"] = value(std::to_string(++c.app.resource_version));
  meta["creationTimestamp"] = value(rfc3339(pod.created));
  event->object = std::move(pod);
  object out;
  out["delivered"] = value(static_cast<double>(c.app.hub.publish(Topic::PodWatch, event)));
  return json_reply(http::status::ok, value(out));
}

// POST /_control/log {"line":"...", "repeat":N}: one line (N times) to every log follower.
Reply log_line_control(const Call& c) {
  value body;
  std::string err = picojson::parse(body, c.request.body());
  if (!err.empty() || !body.get("line").is<std::string>())
    return text_reply(http::status::bad_request, "log needs {\"line\":...}\n");
  const int repeat = body.get("repeat").is<double>() ? static_cast<int>(body.get("repeat").get<double>()) : 1;
  std::size_t delivered = 0;
  for (int i = 0; i < std::clamp(repeat, 1, 100000); ++i) {
    auto event = std::make_shared<Event>();
    event->text = body.get("line").get<std::string>() + "\n";
    delivered = c.app.hub.publish(Topic::Logs, event);
  }
  object out;
  out["delivered"] = value(static_cast<double>(delivered));
  return json_reply(http::status::ok, value(out));
}

Reply streams(const Call& c) {
  object out;
  out["watches"] = value(static_cast<double>(c.app.hub.count(Topic::PodWatch)));
  out["logs"] = value(static_cast<double>(c.app.hub.count(Topic::Logs)));
  out["h2_unsent_bytes"] = value(static_cast<double>(c.app.h2_unsent.load()));
  // Upgrades answered so far, by subresource and transport.
  const UpgradeCounters& u = c.app.upgrades;
  object upgrades;
  upgrades["exec_websocket"] = value(static_cast<double>(u.exec_websocket.load()));
  upgrades["exec_spdy"] = value(static_cast<double>(u.exec_spdy.load()));
  upgrades["portforward_websocket"] = value(static_cast<double>(u.portforward_websocket.load()));
  upgrades["portforward_spdy"] = value(static_cast<double>(u.portforward_spdy.load()));
  out["upgrades"] = value(upgrades);
  return json_reply(http::status::ok, value(out));
}

}  // namespace

Reply watch_reply(const Call& c, TableKind kind, const std::string& ns) {
  std::optional<std::string> table_version =
      requested_table_version(std::string(c.request[http::field::accept]));
  TableRequest table;
  if (table_version) table.api_version = *table_version;
  table.include_object = "Metadata";
  table.resource_version = c.app.fixtures.resource_version;
  const bool pods = kind == TableKind::Pods;

  auto format = [table, table_version, ns, pods](const Event& e) -> std::string {
    if (!pods || e.type.empty() || (!ns.empty() && e.object.ns != ns)) return "";
    object ev;
    ev["type"] = value(e.type);
    if (table_version) {
      TableRequest t = table;
      t.now = std::time(nullptr);
      ev["object"] = make_table(TableKind::Pods, {&e.object}, t);
    } else {
      ev["object"] = e.object.json;
    }
    return value(ev).serialize() + "\n";
  };
  // Without a resourceVersion a watch starts with ADDED for what exists, as in Kubernetes.
  std::vector<std::string> initial;
  auto rv = c.target.query.find("resourceVersion");
  if (pods && (rv == c.target.query.end() || rv->second.empty() || rv->second == "0")) {
    for (const Object& o : c.app.fixtures.pods) {
      Event e;
      e.type = "ADDED";
      e.object = o;
      std::string text = format(e);
      if (!text.empty()) initial.push_back(text);
    }
  }
  const std::string key = "watch:" + ns + ":" + (table_version ? *table_version : "json") + ":" +
                          std::to_string(static_cast<int>(kind));
  Reply r;
  r.events = std::make_shared<EventStream>(EventStream{"application/json", format, key, Topic::PodWatch, initial});
  return r;
}

void add_stream_routes(Router& r) {
  const auto A = Access::Authorized;
  r.add(http::verb::get, "/api/v1/namespaces/{namespace}/pods/{name}/log", A, pod_log);
  for (const char* sub : {"exec", "attach"}) {
    const std::string path = std::string("/api/v1/namespaces/{namespace}/pods/{name}/") + sub;
    r.add(http::verb::get, path, A, exec);
    r.add(http::verb::post, path, A, exec);
  }
  r.add(http::verb::post, "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        Access::Authenticated, access_review);
  r.add(http::verb::post, "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", Access::Authenticated,
        rules_review);
  r.add(http::verb::post, "/_control/emit", Access::Control, emit);
  r.add(http::verb::post, "/_control/log", Access::Control, log_line_control);
  r.add(http::verb::get, "/_control/streams", Access::Control, streams);
  r.add(http::verb::get, "/_control/blast", Access::Control, [](const Call& c) {
    auto it = c.target.query.find("bytes");
    std::uint64_t bytes = it == c.target.query.end() ? 0 : std::strtoull(it->second.c_str(), nullptr, 10);
    if (c.request.count(http::field::upgrade) == 0)
      return text_reply(http::status::bad_request, "blast needs an Upgrade header\n");
    Reply r;
    r.takeover = [bytes](Stream&& stream, Request&&, beast::flat_buffer&&) {
      std::make_shared<Blast>(std::move(stream), bytes)->run();
    };
    return r;
  });
  // The request body back, byte for byte: request-body relay tests.
  r.add(http::verb::post, "/_control/echo", Access::Control, [](const Call& c) {
    Reply r;
    r.response.result(http::status::ok);
    r.response.set(http::field::content_type, "application/octet-stream");
    r.response.body() = c.request.body();
    return r;
  });
  // A redirect to a resource: a proxy must hand it back, never follow it with its token.
  r.add(http::verb::get, "/_control/redirect", Access::Control, [](const Call& c) {
    Reply r = text_reply(http::status::found, "");
    r.response.set(http::field::location, "https://" + c.app.server_address + "/api/v1/pods");
    return r;
  });
}

}  // namespace aks::fake_apiserver
