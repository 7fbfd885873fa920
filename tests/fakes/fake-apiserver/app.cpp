#include "tests/fakes/fake-apiserver/app.h"

#include "tests/fakes/fake-apiserver/routes.h"

namespace aks::fake_apiserver {

void Counters::reset() {
  requests = 0;
  authorized = 0;
  unauthorized = 0;
  forbidden = 0;
}

App::App(Options opts, std::unique_ptr<JwksSource> jwks, std::time_t start)
    : options(std::move(opts)),
      verifier(std::move(jwks), VerifierConfig{options.issuers, options.audience}),
      fixtures(make_fixtures(start)) {
  add_service_routes(router);
  add_resource_routes(router);
  add_stream_routes(router);
  add_portforward_routes(router);
  resource_version = std::stol(fixtures.resource_version);
}

}  // namespace aks::fake_apiserver
