#include "tests/fakes/fake-apiserver/request_info.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace aks::fake_apiserver {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

RequestInfo parse_request_info(const std::string& method, const Target& target) {
  RequestInfo info;
  info.path = target.path;
  info.verb = lower(method);
  std::vector<std::string> parts = split_path(target.path);

  // /api/{version}/... and /apis/{group}/{version}/...; anything else is a
  // non-resource URL (discovery, /version, /healthz).
  size_t at = 0;
  if (parts.size() >= 3 && parts[0] == "api") {
    info.api_version = parts[1];
    at = 2;
  } else if (parts.size() >= 4 && parts[0] == "apis") {
    info.api_group = parts[1];
    info.api_version = parts[2];
    at = 3;
  } else {
    return info;
  }
  info.is_resource_request = true;
  std::vector<std::string> rest(parts.begin() + static_cast<long>(at), parts.end());

  // namespaces/{ns}/{resource}/... is namespaced; namespaces/{ns} alone is the
  // namespace object itself, which is also "in" that namespace.
  if (rest.size() >= 2 && rest[0] == "namespaces") {
    info.ns = rest[1];
    if (rest.size() > 2) rest.erase(rest.begin(), rest.begin() + 2);
  }
  info.resource = rest[0];
  if (rest.size() >= 2) info.name = rest[1];
  if (rest.size() >= 3) info.subresource = rest[2];

  bool watch = false;
  if (auto w = target.query.find("watch"); w != target.query.end())
    watch = w->second == "true" || w->second == "1";
  if (method == "GET" || method == "HEAD") {
    info.verb = watch ? "watch" : info.name.empty() ? "list" : "get";
  } else if (method == "POST") {
    info.verb = "create";
  } else if (method == "PUT") {
    info.verb = "update";
  } else if (method == "PATCH") {
    info.verb = "patch";
  } else if (method == "DELETE") {
    info.verb = info.name.empty() ? "deletecollection" : "delete";
  }
  return info;
}

}  // namespace aks::fake_apiserver
