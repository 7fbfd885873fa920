#pragma once
// What a request asks for in Kubernetes terms (verb, group, namespace,
// resource, name), parsed from method and path as the real apiserver does;
// authorization and its Forbidden messages are phrased in these terms.
#include <string>

#include "tests/fakes/fake-apiserver/target.h"

namespace aks::fake_apiserver {

struct RequestInfo {
  bool is_resource_request = false;
  std::string path;
  std::string verb;  // get, list, watch, create, update, patch, delete, deletecollection
  std::string api_group;
  std::string api_version;
  std::string ns;
  std::string resource;
  std::string subresource;
  std::string name;
};

RequestInfo parse_request_info(const std::string& method, const Target& target);

}  // namespace aks::fake_apiserver
