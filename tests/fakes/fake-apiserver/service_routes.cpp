#include "tests/fakes/fake-apiserver/app.h"
#include "tests/fakes/fake-apiserver/discovery.h"
#include "tests/fakes/fake-apiserver/responses.h"
#include "tests/fakes/fake-apiserver/routes.h"
#include "tests/fakes/fake-apiserver/status.h"

namespace aks::fake_apiserver {
namespace {

using picojson::array;
using picojson::object;
using picojson::value;

value counters_json(const Counters& c) {
  object o;
  o["requests"] = value(static_cast<double>(c.requests.load()));
  o["authorized"] = value(static_cast<double>(c.authorized.load()));
  o["unauthorized"] = value(static_cast<double>(c.unauthorized.load()));
  o["forbidden"] = value(static_cast<double>(c.forbidden.load()));
  return value(o);
}

// What `kubectl auth whoami` shows: the identity the token maps to.
Reply self_subject_review(const Call& call) {
  const Identity& id = *call.user;
  object user;
  user["username"] = value(id.username);
  if (!id.uid.empty()) user["uid"] = value(id.uid);
  array groups;
  for (const auto& g : id.groups) groups.push_back(value(g));
  user["groups"] = value(groups);
  if (!id.extra.empty()) {
    object extra;
    for (const auto& [key, values] : id.extra) {
      array vs;
      for (const auto& v : values) vs.push_back(value(v));
      extra[key] = value(vs);
    }
    user["extra"] = value(extra);
  }
  object status;
  status["userInfo"] = value(user);
  object metadata;
  metadata["creationTimestamp"] = value();
  object review;
  review["kind"] = value("SelfSubjectReview");
  review["apiVersion"] = value("authentication.k8s.io/v1");
  review["metadata"] = value(metadata);
  review["status"] = value(status);
  return json_reply(http::status::created, value(review));
}

Reply resource_list(const Call& call) {
  std::string gv = call.params.count("group")
                       ? call.params.at("group") + "/" + call.params.at("version")
                       : "v1";
  value list = api_resource_list(gv);
  if (list.is<picojson::null>()) return status_reply(path_not_found_status());
  return json_reply(http::status::ok, list);
}

}  // namespace

void add_service_routes(Router& r) {
  auto ok = [](const Call&) { return text_reply(http::status::ok, "ok"); };
  for (const char* probe : {"/healthz", "/livez", "/readyz"})
    r.add(http::verb::get, probe, Access::Public, ok);

  r.add(http::verb::get, "/_control/counters", Access::Control, [](const Call& c) {
    return json_reply(http::status::ok, counters_json(c.app.counters));
  });
  r.add(http::verb::post, "/_control/reset", Access::Control, [](const Call& c) {
    c.app.counters.reset();
    return json_reply(http::status::ok, counters_json(c.app.counters));
  });

  r.add(http::verb::get, "/version", Access::Authenticated,
        [](const Call&) { return json_reply(http::status::ok, version_info()); });
  r.add(http::verb::get, "/api", Access::Authenticated, [](const Call& c) {
    return json_reply(http::status::ok, core_api_versions(c.app.server_address));
  });
  r.add(http::verb::get, "/apis", Access::Authenticated,
        [](const Call&) { return json_reply(http::status::ok, api_group_list()); });
  r.add(http::verb::get, "/api/v1", Access::Authenticated, resource_list);
  r.add(http::verb::get, "/apis/{group}/{version}", Access::Authenticated, resource_list);

  r.add(http::verb::post, "/apis/authentication.k8s.io/v1/selfsubjectreviews",
        Access::Authenticated, self_subject_review);
}

}  // namespace aks::fake_apiserver
