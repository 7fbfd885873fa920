#pragma once
// exec/attach over SPDY/3.1 (v4.channel.k8s.io, kubectl's fallback when the
// WebSocket upgrade is refused): the client opens one stream per channel,
// each named by its "streamtype" header — error, stdin, stdout, stderr,
// resize. Once every stream the query asked for is there, the command runs
// as in exec_command.h; then stdout and stderr end with FIN and the v4
// Status goes out on the error stream, as the kubelet does.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tests/fakes/fake-apiserver/spdy_session.h"

namespace aks::fake_apiserver {

// Which streams the exec query asks for (stdin=, stdout=, stderr=, tty=).
struct ExecStreams {
  bool in = false;
  bool out = false;
  bool err = false;
  bool tty = false;
  std::vector<std::string> names() const;  // the streamtypes the client will open
};

class SpdyExecSession : public SpdySession::Handler {
 public:
  SpdyExecSession(SpdySession& session, std::vector<std::string> command, ExecStreams want);

  void on_stream(std::uint32_t id, const spdy::Headers& headers) override;
  void on_data(std::uint32_t id, std::string data) override;
  void on_remote_fin(std::uint32_t id) override;
  void on_reset(std::uint32_t id) override;
  void on_closed() override {}

 private:
  std::uint32_t stream(const std::string& type) const;  // 0 when not open
  void maybe_start();
  void echo(std::uint32_t from, std::string data);
  void finish();

  SpdySession& session_;
  std::vector<std::string> command_;
  std::vector<std::string> expected_;
  std::map<std::string, std::uint32_t> streams_;  // streamtype -> stream id
  std::vector<std::string> early_stdin_;           // stdin that came before every stream was open
  std::size_t in_flight_ = 0;                      // echoed bytes not yet written
  bool holding_ = false;
  bool started_ = false;
  bool stdin_closed_ = false;
  bool finished_ = false;
};

}  // namespace aks::fake_apiserver
