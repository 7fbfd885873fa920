#pragma once
// exec/attach over WebSocket with the Kubernetes channel protocols
// (v5.channel.k8s.io, falling back to v4): every binary message starts with a
// channel byte — 0 stdin, 1 stdout, 2 stderr, 3 error/status, 4 resize, and in
// v5 255 "close channel". The fake's container runs `cat` (stdin echoed to
// stdout until stdin closes) or `echo ARGS`; then it sends the Success status
// on channel 3 and closes, as the kubelet does.
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <memory>
#include <string>
#include <vector>

#include "tests/fakes/fake-apiserver/reply.h"

namespace aks::fake_apiserver {

class ExecSession : public std::enable_shared_from_this<ExecSession> {
 public:
  ExecSession(Stream&& stream, std::vector<std::string> command);
  void run(Request request);

 private:
  void on_accept(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void send(unsigned char channel, const std::string& data, void (ExecSession::*next)());
  void on_sent(void (ExecSession::*next)(), beast::error_code ec, std::size_t bytes);
  void finish();  // Success status, then close
  void do_close();
  void on_close(beast::error_code ec);

  beast::websocket::stream<Stream> ws_;
  std::vector<std::string> command_;
  std::string protocol_;
  beast::flat_buffer buffer_;
  std::string out_;
};

// Picks the subprotocol from Sec-WebSocket-Protocol: v5, else v4, else "".
std::string choose_channel_protocol(const std::string& offered);

}  // namespace aks::fake_apiserver
