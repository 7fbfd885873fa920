#include <ctime>

#include "tests/fakes/fake-apiserver/app.h"
#include "tests/fakes/fake-apiserver/responses.h"
#include "tests/fakes/fake-apiserver/routes.h"
#include "tests/fakes/fake-apiserver/status.h"
#include "tests/fakes/fake-apiserver/table.h"

namespace aks::fake_apiserver {
namespace {

using picojson::array;
using picojson::object;
using picojson::value;

// One kind of object the fake serves.
struct Kind {
  std::vector<Object> Fixtures::*objects;
  TableKind table;
  const char* resource;     // "pods"
  const char* group;        // "" for the core group
  const char* api_version;  // of the objects: "v1", "apps/v1"
  const char* list_kind;    // "PodList"
};

const Kind kPods{&Fixtures::pods, TableKind::Pods, "pods", "", "v1", "PodList"};
const Kind kNamespaces{&Fixtures::namespaces, TableKind::Namespaces, "namespaces", "", "v1",
                       "NamespaceList"};
const Kind kDeployments{&Fixtures::deployments, TableKind::Deployments, "deployments", "apps",
                        "apps/v1", "DeploymentList"};

std::string param(const Call& c, const char* name) {
  auto it = c.params.find(name);
  return it == c.params.end() ? "" : it->second;
}

// A Table when kubectl asks for one (kubectl get), the plain object otherwise.
Reply answer(const Call& c, const Kind& kind, const std::vector<const Object*>& found,
             bool single) {
  const Fixtures& f = c.app.fixtures;
  if (auto table_version = requested_table_version(std::string(c.request[http::field::accept]))) {
    TableRequest req;
    req.api_version = *table_version;
    auto inc = c.target.query.find("includeObject");
    req.include_object = inc == c.target.query.end() ? "Metadata" : inc->second;
    req.resource_version = f.resource_version;
    req.now = std::time(nullptr);
    return json_reply(http::status::ok, make_table(kind.table, found, req));
  }
  if (single) return json_reply(http::status::ok, found.front()->json);
  array items;
  for (const Object* o : found) items.push_back(o->json);
  object metadata;
  metadata["resourceVersion"] = value(f.resource_version);
  object list;
  list["kind"] = value(kind.list_kind);
  list["apiVersion"] = value(kind.api_version);
  list["metadata"] = value(metadata);
  list["items"] = value(items);
  return json_reply(http::status::ok, value(list));
}

// Lists everything, or one namespace when the route has {namespace}; a
// namespace with no objects (or none at all) gives an empty list, as in Kubernetes.
Handler list_of(const Kind& kind) {
  return [&kind](const Call& c) {
    std::string ns = param(c, "namespace");
    auto watch = c.target.query.find("watch");
    if (watch != c.target.query.end() && (watch->second == "true" || watch->second == "1"))
      return watch_reply(c, kind.table, ns);
    std::vector<const Object*> found;
    for (const Object& o : c.app.fixtures.*kind.objects)
      if (ns.empty() || o.ns == ns) found.push_back(&o);
    return answer(c, kind, found, false);
  };
}

Handler get_one(const Kind& kind) {
  return [&kind](const Call& c) {
    std::string ns = param(c, "namespace");
    std::string name = param(c, "name");
    for (const Object& o : c.app.fixtures.*kind.objects)
      if (o.ns == ns && o.name == name) return answer(c, kind, {&o}, true);
    return status_reply(object_not_found_status(kind.resource, kind.group, name));
  };
}

}  // namespace

void add_resource_routes(Router& r) {
  const auto get = http::verb::get;
  const auto A = Access::Authorized;
  r.add(get, "/api/v1/pods", A, list_of(kPods));
  r.add(get, "/api/v1/namespaces/{namespace}/pods", A, list_of(kPods));
  r.add(get, "/api/v1/namespaces/{namespace}/pods/{name}", A, get_one(kPods));
  r.add(get, "/api/v1/namespaces", A, list_of(kNamespaces));
  r.add(get, "/api/v1/namespaces/{name}", A, get_one(kNamespaces));
  r.add(get, "/apis/apps/v1/deployments", A, list_of(kDeployments));
  r.add(get, "/apis/apps/v1/namespaces/{namespace}/deployments", A, list_of(kDeployments));
  r.add(get, "/apis/apps/v1/namespaces/{namespace}/deployments/{name}", A, get_one(kDeployments));
}

}  // namespace aks::fake_apiserver
