#pragma once
// One forwarded connection of a port-forward (one requestid): the data
// stream's bytes go to a TCP connection to the target and back, each
// direction half-closed on EOF. When the target ends its side, the data and
// error streams get FIN, as the kubelet's forwarder does; failures to reach
// the target are written on the error stream first, which kubectl prints.
#include <boost/asio/ip/tcp.hpp>

#include <array>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "tests/fakes/fake-apiserver/spdy_session.h"

namespace aks::fake_apiserver {

class TcpForward : public std::enable_shared_from_this<TcpForward> {
 public:
  // `failure_prefix` starts the error-stream message ("error forwarding port 8080 to pod ...: ").
  TcpForward(std::shared_ptr<SpdySession> session, std::uint32_t error_id, std::uint32_t data_id,
             std::string failure_prefix, std::function<void()> on_done);
  // nullopt: nothing listens on that port in the pod.
  void start(std::optional<boost::asio::ip::tcp::endpoint> target, const std::string& unmapped_reason);
  void from_client(std::string data);
  void client_fin();
  void abort();  // a stream was reset or the connection closed

 private:
  void on_connect(boost::beast::error_code ec);
  void fail(const std::string& why);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t n);
  void do_write();
  void on_write(boost::beast::error_code ec, std::size_t n);
  void maybe_shutdown_send();
  void finish_if_done();
  void release_hold();

  std::shared_ptr<SpdySession> session_;
  boost::asio::ip::tcp::socket socket_;
  std::uint32_t error_id_;
  std::uint32_t data_id_;
  std::string failure_prefix_;
  std::string target_text_;
  std::function<void()> on_done_;
  std::deque<std::string> to_target_;
  std::size_t to_target_bytes_ = 0;
  std::array<char, 32 * 1024> read_buf_{};
  bool connected_ = false;
  bool writing_ = false;
  bool client_fin_ = false;
  bool send_shut_ = false;
  bool target_eof_ = false;
  bool holding_ = false;
  bool done_ = false;
};

}  // namespace aks::fake_apiserver
