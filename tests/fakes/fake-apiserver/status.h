#pragma once
// Kubernetes metav1.Status bodies for failures, worded like the real apiserver.
#include <picojson.h>

#include <optional>
#include <string>

#include "tests/fakes/fake-apiserver/request_info.h"

namespace aks::fake_apiserver {

picojson::value failure_status(int code, const std::string& reason, const std::string& message,
                               std::optional<picojson::object> details = std::nullopt);

picojson::value unauthorized_status();
// `pods is forbidden: User "u" cannot list resource "pods" in API group "" in the namespace "default"`
picojson::value forbidden_status(const RequestInfo& info, const std::string& user);
// `pods "x" not found`
picojson::value object_not_found_status(const std::string& resource, const std::string& group,
                                        const std::string& name);
// An unknown path: `the server could not find the requested resource`.
picojson::value path_not_found_status();
picojson::value method_not_allowed_status();
picojson::value bad_request_status(const std::string& message);

}  // namespace aks::fake_apiserver
