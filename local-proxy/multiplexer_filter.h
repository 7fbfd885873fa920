#pragma once
// --reject-paths for what the browser asks Headlamp's /wsMultiplexer to open.
// Headlamp's multiplexer (kubernetes-sigs/headlamp v0.45.0 backend/cmd/
// multiplexer.go) reads each browser frame, text or binary, with Go's
// json.Unmarshal into Message{clusterId, path, query, userId, data, binary,
// type} (keys matched case-insensitively, the last one winning) and, for a
// REQUEST, dials a WebSocket to the cluster at that path
// (createWebSocketURL: the path joined to the server URL with one slash,
// then escaped) with the user's token, writing `data` to it. So a page with
// the session could open pods/exec through it; the filters must see these
// paths as they see /clusters/<c>/<path>. A pure function, table-tested.
#include <optional>
#include <string>
#include <string_view>

#include "local-proxy/request_filter.h"

namespace aks::proxy {

// Why the frame must not reach Headlamp, or nothing when it may. Refused:
// anything that is not one JSON object (Headlamp's page sends nothing else),
// more than one key that Go would read as `path` or `clusterId`, a clusterId
// other than `cluster`, a path that is not a
// string or not canonical (empty or dot segments, '%', '?', '#', control
// characters, bytes that are not UTF-8), and a path --reject-paths rejects.
// `cluster`: the cluster aks-proxy serves (--headlamp-cluster). A message
// for any other clusterId is refused: Headlamp reads the token from the
// cookie of the *sanitised* id ("main." reads main's) and dials whatever
// server that id names, so a look-alike cluster would get the token.
std::optional<std::string> multiplexer_refusal(std::string_view frame, const RequestFilter& filter,
                                               std::string_view cluster);

}  // namespace aks::proxy
