#pragma once
// The fake cluster's objects: a few pods, namespaces and deployments with
// realistic metadata, created relative to the server's start time.
#include <picojson.h>

#include <ctime>
#include <string>
#include <vector>

namespace aks::fake_apiserver {

struct Object {
  std::string ns;  // empty for cluster-scoped objects
  std::string name;
  std::time_t created = 0;
  picojson::value json;  // the full object as the API returns it
};

struct Fixtures {
  std::vector<Object> pods;
  std::vector<Object> namespaces;
  std::vector<Object> deployments;
  std::string resource_version;  // of every list
};

Fixtures make_fixtures(std::time_t start);

// "2025-05-01T12:00:00Z"
std::string rfc3339(std::time_t t);

}  // namespace aks::fake_apiserver
