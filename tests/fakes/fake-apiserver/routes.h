#pragma once
// The route table, in two parts.
#include <string>
#include <vector>

#include "tests/fakes/fake-apiserver/router.h"
#include "tests/fakes/fake-apiserver/table.h"

namespace aks::fake_apiserver {

// Health probes, test control, /version, discovery, SelfSubjectReview.
void add_service_routes(Router& router);
// Pods, namespaces, deployments: lists and single objects, JSON or Table.
void add_resource_routes(Router& router);
// Logs (also follow=true), exec/attach over WebSocket or SPDY, access reviews, and the
// control endpoints that emit watch events and log lines.
void add_stream_routes(Router& router);
// Port-forward (SPDY/3.1, plain or tunneled in WebSocket) and the controls
// /_control/portforward (container port -> loopback target) and
// /_control/websocket (turn WebSocket upgrades off).
void add_portforward_routes(Router& router);

// /_control/connections, /_control/http2, /_control/goaway, /_control/abort
// and /_control/cut: protocols in use, HTTP/2 off, GOAWAY and broken streams on demand.
void add_connection_routes(Router& router);

// The answer to a WebSocket upgrade while WebSocket is turned off: a 400
// Status, as from an API server without WebSocket streaming; client-go
// takes any non-101 as an upgrade failure and falls back to SPDY/3.1.
Reply websocket_refused_reply();
// A SPDY upgrade offering none of the protocols we speak: 403, worded as
// the apiserver's upgrader words it.
Reply no_common_protocol_reply(const std::vector<std::string>& offered, const std::string& supported);

// ?watch=true on a list: a chunked stream of watch events for `kind`'s objects
// in `ns` ("" = all namespaces), Table-shaped when the Accept header asks.
Reply watch_reply(const Call& call, TableKind kind, const std::string& ns);

}  // namespace aks::fake_apiserver
