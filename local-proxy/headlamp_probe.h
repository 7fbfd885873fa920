#pragma once
// What aks-proxy can see, from outside, of a Headlamp configured in a way
// that makes it unsafe or unusable behind aks-proxy. Once a token is there,
// three requests go to Headlamp as the browser's would (kubernetes-sigs/
// headlamp v0.45.0):
// - GET <base>config: the cluster list (backend/cmd/headlamp.go getConfig):
//   --headlamp-cluster must be one of them, or Headlamp never reads the token.
// - GET <base>clusters/<c>/me with an invented X-Forwarded-User: with
//   -proxy-auth, Headlamp answers with that name (backend/pkg/auth/auth.go
//   tryProxyAuth). Anyone who reaches such a Headlamp directly can claim an
//   identity, and with X-Forwarded-Id-Token bring any token.
// - POST <base>clusters/<c>/apis/authentication.k8s.io/v1/selfsubjectreviews:
//   who the cluster sees. A system:serviceaccount: user means Headlamp runs
//   with -unsafe-use-service-account-token and drops the user's token
//   (clearRequestAuthorization). A 401 through --headlamp-service means
//   Headlamp reads no token cookie (before v0.35.0).
// Findings are warnings on stderr; nothing is refused.
#include <string>
#include <vector>

#include "local-proxy/engine_types.h"

namespace aks::proxy {

struct ProbeAnswer {
    int status = 0;  // 0: no answer
    std::string body;
};

struct ProbeAnswers {
    ProbeAnswer config, me, review;
    std::string probe_user;  // the X-Forwarded-User sent to /me
};

// One line per finding (pure; table-tested).
std::vector<std::string> headlamp_findings(const HeadlampMode& mode, const ProbeAnswers& answers);

// The three requests through ctx.upstream with `authorization` ("Bearer ...")
// as header and token cookie. Blocking, on `ioc` (the caller's own; stopping
// it, with `stop` set, ends the probe at once); each request gives up after
// `timeout`.
ProbeAnswers probe_headlamp(net::io_context& ioc, const std::atomic<bool>& stop, const ProxyContext& ctx,
                            const std::string& authorization, std::chrono::milliseconds timeout);

}  // namespace aks::proxy
