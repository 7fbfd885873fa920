#pragma once
// One request through the fake: count, authenticate, authorize, route.
#include "tests/fakes/fake-apiserver/reply.h"

namespace aks::fake_apiserver {

struct App;

// May block briefly when an unknown kid makes the verifier re-fetch the JWKS.
Reply handle_request(App& app, const Request& request);

}  // namespace aks::fake_apiserver
