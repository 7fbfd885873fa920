#pragma once
// Server-side printing: the meta.k8s.io Table that `kubectl get` asks for
// with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`.
#include <picojson.h>

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "tests/fakes/fake-apiserver/fixtures.h"

namespace aks::fake_apiserver {

// "meta.k8s.io/v1" (or v1beta1) when the Accept header asks for a Table.
std::optional<std::string> requested_table_version(const std::string& accept);

enum class TableKind { Pods, Namespaces, Deployments };

struct TableRequest {
  std::string api_version;     // of the Table itself
  std::string include_object;  // None, Metadata (default) or Object
  std::string resource_version;
  std::time_t now = 0;
};

picojson::value make_table(TableKind kind, const std::vector<const Object*>& objects,
                           const TableRequest& request);

// Age as kubectl shows it: 45s, 4m30s, 5h12m, 3d4h, 12d, 2y30d.
std::string human_duration(long seconds);

}  // namespace aks::fake_apiserver
