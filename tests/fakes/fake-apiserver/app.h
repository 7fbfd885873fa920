#pragma once
// State shared by every connection: configuration, token verifier, the fake
// cluster's objects, the routes and the counters tests read.
#include <atomic>
#include <cstdint>
#include <string>

#include "tests/fakes/fake-apiserver/fixtures.h"
#include "tests/fakes/fake-apiserver/hub.h"
#include "tests/fakes/fake-apiserver/options.h"
#include "tests/fakes/fake-apiserver/portforward_targets.h"
#include "tests/fakes/fake-apiserver/router.h"
#include "tests/fakes/fake-apiserver/token_verifier.h"

namespace aks::fake_apiserver {

struct Counters {
  std::atomic<std::uint64_t> requests{0};      // every request but /_control/*
  std::atomic<std::uint64_t> authorized{0};    // token valid and access allowed
  std::atomic<std::uint64_t> unauthorized{0};  // 401
  std::atomic<std::uint64_t> forbidden{0};     // 403
  void reset();
};

// Upgrades answered with 101, by subresource and transport: tests assert
// which way kubectl went (WebSocket first, SPDY/3.1 as the fallback).
struct UpgradeCounters {
  std::atomic<std::uint64_t> exec_websocket{0};
  std::atomic<std::uint64_t> exec_spdy{0};
  std::atomic<std::uint64_t> portforward_websocket{0};  // SPDY tunneled in WebSocket
  std::atomic<std::uint64_t> portforward_spdy{0};
};

struct App {
  App(Options options, std::unique_ptr<JwksSource> jwks, std::time_t start);

  Options options;
  TokenVerifier verifier;
  Fixtures fixtures;
  Router router;
  Counters counters;
  Hub hub;                                 // open watch and log-follow streams
  std::atomic<long> resource_version{0};  // of emitted events, after the fixtures'
  std::string server_address;  // host:port; set once, before any connection
  UpgradeCounters upgrades;
  std::atomic<bool> websocket_enabled{true};  // /_control/websocket: off makes kubectl fall back to SPDY
  PortForwardTargets portforward_targets;     // /_control/portforward
};

}  // namespace aks::fake_apiserver
