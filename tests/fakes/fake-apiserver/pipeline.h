#pragma once
// One request through the fake: count, authenticate, authorize, route.
#include "tests/fakes/fake-apiserver/reply.h"

namespace aks::fake_apiserver {

struct App;
struct Identity;
struct Options;

// The fake's RBAC: an allow list of users and groups (--allow-user, --allow-group);
// without one, every authenticated user is allowed.
bool rbac_allows(const Options& options, const Identity& id);

// May block briefly when an unknown kid makes the verifier re-fetch the JWKS.
Reply handle_request(App& app, const Request& request);

}  // namespace aks::fake_apiserver
