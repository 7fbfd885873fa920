#pragma once
// port-forward over SPDY/3.1 (portforward.k8s.io): for every local
// connection kubectl opens an "error" stream, then a "data" stream, both with
// headers port and requestid. Each pair becomes a TcpForward to where the
// test mapped that container port (PortForwardTargets).
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "tests/fakes/fake-apiserver/spdy_session.h"

namespace aks::fake_apiserver {

class PortForwardTargets;
class TcpForward;

struct PodRef {
  std::string ns;
  std::string name;
  std::string uid;
};

class PortForwardSession : public SpdySession::Handler {
 public:
  PortForwardSession(SpdySession& session, PortForwardTargets& targets, PodRef pod);
  ~PortForwardSession() override;

  void on_stream(std::uint32_t id, const spdy::Headers& headers) override;
  void on_data(std::uint32_t id, std::string data) override;
  void on_remote_fin(std::uint32_t id) override;
  void on_reset(std::uint32_t id) override;
  void on_closed() override;

 private:
  struct Pair {
    unsigned port = 0;
    std::uint32_t error_id = 0;
    std::uint32_t data_id = 0;
    std::shared_ptr<TcpForward> forward;
  };
  void start(const std::string& request_id, Pair& pair);
  Pair* pair_of(std::uint32_t stream_id);
  void forget(const std::string& request_id);

  SpdySession& session_;
  PortForwardTargets& targets_;
  PodRef pod_;
  std::map<std::string, Pair> pairs_;                 // by requestid
  std::map<std::uint32_t, std::string> request_ids_;  // stream id -> requestid
};

}  // namespace aks::fake_apiserver
