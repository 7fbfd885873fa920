#pragma once
// State shared by every connection: configuration, token verifier, the fake
// cluster's objects, the routes and the counters tests read.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

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

// Connections accepted, by the protocol ALPN chose: tests assert how many
// upstream connections a proxy opened and which protocol they speak.
struct ConnectionCounters {
  std::atomic<std::uint64_t> accepted{0};  // TLS handshakes completed
  std::atomic<std::uint64_t> h2{0};
  std::atomic<std::uint64_t> http1{0};    // ALPN http/1.1
  std::atomic<std::uint64_t> no_alpn{0};  // HTTP/1.1 without ALPN (the tests' control calls)
};

class H2Session;

// The open HTTP/2 connections, for the controls that act on all of them (GOAWAY).
class H2Sessions {
 public:
  void add(std::weak_ptr<H2Session> s);
  std::vector<std::shared_ptr<H2Session>> live();

 private:
  std::mutex mu_;
  std::vector<std::weak_ptr<H2Session>> sessions_;
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
  ConnectionCounters connections;             // /_control/connections
  std::atomic<bool> http2_enabled{true};      // --no-http2, /_control/http2
  H2Sessions h2_sessions;
  // Response bytes HTTP/2 streams hold that flow control has not let out yet
  // (/_control/streams): a slow reader's stream keeps them here.
  std::atomic<std::int64_t> h2_unsent{0};
};

}  // namespace aks::fake_apiserver
