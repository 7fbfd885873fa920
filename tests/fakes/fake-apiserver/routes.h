#pragma once
// The route table, in two parts.
#include "tests/fakes/fake-apiserver/router.h"
#include "tests/fakes/fake-apiserver/table.h"

namespace aks::fake_apiserver {

// Health probes, test control, /version, discovery, SelfSubjectReview.
void add_service_routes(Router& router);
// Pods, namespaces, deployments: lists and single objects, JSON or Table.
void add_resource_routes(Router& router);
// Logs (also follow=true), exec/attach over WebSocket, access reviews, and the
// control endpoints that emit watch events and log lines.
void add_stream_routes(Router& router);

// ?watch=true on a list: a chunked stream of watch events for `kind`'s objects
// in `ns` ("" = all namespaces), Table-shaped when the Accept header asks.
Reply watch_reply(const Call& call, TableKind kind, const std::string& ns);

}  // namespace aks::fake_apiserver
