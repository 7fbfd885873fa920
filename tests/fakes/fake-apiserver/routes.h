#pragma once
// The route table, in two parts.
#include "tests/fakes/fake-apiserver/router.h"

namespace aks::fake_apiserver {

// Health probes, test control, /version, discovery, SelfSubjectReview.
void add_service_routes(Router& router);
// Pods, namespaces, deployments: lists and single objects, JSON or Table.
void add_resource_routes(Router& router);

}  // namespace aks::fake_apiserver
