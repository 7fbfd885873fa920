#include "tests/fakes/fake-apiserver/discovery.h"

#include <stdexcept>

namespace aks::fake_apiserver {
namespace {

picojson::value parse(const char* text) {
  picojson::value v;
  std::string err = picojson::parse(v, text);
  if (!err.empty()) throw std::logic_error("discovery JSON: " + err);
  return v;
}

const char* kVersion = R"({
  "major": "1", "minor": "32", "gitVersion": "v1.32.4",
  "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
  "buildDate": "2025-04-22T00:00:00Z", "goVersion": "go1.23.8", "compiler": "gc",
  "platform": "linux/amd64"
})";

const char* kGroups = R"({
  "kind": "APIGroupList", "apiVersion": "v1",
  "groups": [
    {"name": "apps", "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
     "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}},
    {"name": "authentication.k8s.io",
     "versions": [{"groupVersion": "authentication.k8s.io/v1", "version": "v1"}],
     "preferredVersion": {"groupVersion": "authentication.k8s.io/v1", "version": "v1"}}
  ]
})";

const char* kCoreV1 = R"({
  "kind": "APIResourceList", "groupVersion": "v1",
  "resources": [
    {"name": "namespaces", "singularName": "namespace", "namespaced": false, "kind": "Namespace",
     "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"], "shortNames": ["ns"]},
    {"name": "namespaces/status", "singularName": "", "namespaced": false, "kind": "Namespace",
     "verbs": ["get", "patch", "update"]},
    {"name": "pods", "singularName": "pod", "namespaced": true, "kind": "Pod",
     "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
     "shortNames": ["po"], "categories": ["all"]},
    {"name": "pods/exec", "singularName": "", "namespaced": true, "kind": "PodExecOptions",
     "verbs": ["create", "get"]},
    {"name": "pods/log", "singularName": "", "namespaced": true, "kind": "Pod", "verbs": ["get"]},
    {"name": "pods/portforward", "singularName": "", "namespaced": true,
     "kind": "PodPortForwardOptions", "verbs": ["create", "get"]},
    {"name": "pods/status", "singularName": "", "namespaced": true, "kind": "Pod",
     "verbs": ["get", "patch", "update"]}
  ]
})";

const char* kAppsV1 = R"({
  "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "apps/v1",
  "resources": [
    {"name": "deployments", "singularName": "deployment", "namespaced": true, "kind": "Deployment",
     "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
     "shortNames": ["deploy"], "categories": ["all"]},
    {"name": "deployments/scale", "singularName": "", "namespaced": true, "group": "autoscaling",
     "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"]},
    {"name": "deployments/status", "singularName": "", "namespaced": true, "kind": "Deployment",
     "verbs": ["get", "patch", "update"]}
  ]
})";

const char* kAuthenticationV1 = R"({
  "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "authentication.k8s.io/v1",
  "resources": [
    {"name": "selfsubjectreviews", "singularName": "selfsubjectreview", "namespaced": false,
     "kind": "SelfSubjectReview", "verbs": ["create"]},
    {"name": "tokenreviews", "singularName": "tokenreview", "namespaced": false,
     "kind": "TokenReview", "verbs": ["create"]}
  ]
})";

}  // namespace

picojson::value version_info() { return parse(kVersion); }

picojson::value core_api_versions(const std::string& server_address) {
  picojson::object cidr;
  cidr["clientCIDR"] = picojson::value("0.0.0.0/0");
  cidr["serverAddress"] = picojson::value(server_address);
  picojson::object v;
  v["kind"] = picojson::value("APIVersions");
  v["versions"] = picojson::value(picojson::array{picojson::value("v1")});
  v["serverAddressByClientCIDRs"] = picojson::value(picojson::array{picojson::value(cidr)});
  return picojson::value(v);
}

picojson::value api_group_list() { return parse(kGroups); }

picojson::value api_resource_list(const std::string& group_version) {
  if (group_version == "v1") return parse(kCoreV1);
  if (group_version == "apps/v1") return parse(kAppsV1);
  if (group_version == "authentication.k8s.io/v1") return parse(kAuthenticationV1);
  return picojson::value();
}

}  // namespace aks::fake_apiserver
