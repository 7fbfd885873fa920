#include "tests/fakes/fake-apiserver/app.h"

#include <algorithm>

#include "tests/fakes/fake-apiserver/routes.h"

namespace aks::fake_apiserver {

void Counters::reset() {
  requests = 0;
  authorized = 0;
  unauthorized = 0;
  forbidden = 0;
}

void H2Sessions::add(std::weak_ptr<H2Session> s) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(std::remove_if(sessions_.begin(), sessions_.end(), [](const auto& w) { return w.expired(); }),
                  sessions_.end());
  sessions_.push_back(std::move(s));
}

std::vector<std::shared_ptr<H2Session>> H2Sessions::live() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::shared_ptr<H2Session>> out;
  for (auto& w : sessions_)
    if (auto s = w.lock()) out.push_back(std::move(s));
  return out;
}

App::App(Options opts, std::unique_ptr<JwksSource> jwks, std::time_t start)
    : options(std::move(opts)),
      verifier(std::move(jwks), VerifierConfig{options.issuers, options.audience}),
      fixtures(make_fixtures(start)) {
  add_service_routes(router);
  add_resource_routes(router);
  add_stream_routes(router);
  add_portforward_routes(router);
  add_connection_routes(router);
  resource_version = std::stol(fixtures.resource_version);
  http2_enabled = options.http2;
}

}  // namespace aks::fake_apiserver
