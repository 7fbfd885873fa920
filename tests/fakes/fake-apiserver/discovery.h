#pragma once
// Legacy discovery documents (kubectl falls back to them when /api and /apis
// answer plain application/json instead of aggregated discovery).
#include <picojson.h>

#include <string>

namespace aks::fake_apiserver {

picojson::value version_info();
// APIVersions; `server_address` is host:port of this server.
picojson::value core_api_versions(const std::string& server_address);
picojson::value api_group_list();
// APIResourceList of "v1", "apps/v1", "authentication.k8s.io/v1"; null if unknown.
picojson::value api_resource_list(const std::string& group_version);

}  // namespace aks::fake_apiserver
