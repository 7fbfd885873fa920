#include "tests/fakes/fake-apiserver/tcp_forward.h"

#include <boost/asio/write.hpp>

namespace aks::fake_apiserver {

namespace net = boost::asio;
namespace beast = boost::beast;

namespace {

// Past this much client data waiting for the target, stop reading the client.
constexpr std::size_t kMaxBacklog = 1024 * 1024;

std::string endpoint_text(const net::ip::tcp::endpoint& e) {
  const std::string host = e.address().to_string();
  return (e.address().is_v6() ? "[" + host + "]" : host) + ":" + std::to_string(e.port());
}

}  // namespace

TcpForward::TcpForward(std::shared_ptr<SpdySession> session, std::uint32_t error_id,
                       std::uint32_t data_id, std::string failure_prefix, std::function<void()> on_done)
    : session_(std::move(session)),
      socket_(session_->get_executor()),  // the connection's strand: no locking anywhere
      error_id_(error_id),
      data_id_(data_id),
      failure_prefix_(std::move(failure_prefix)),
      on_done_(std::move(on_done)) {}

void TcpForward::start(std::optional<net::ip::tcp::endpoint> target, const std::string& unmapped_reason) {
  if (!target) return fail(unmapped_reason);
  target_text_ = endpoint_text(*target);
  socket_.async_connect(*target, [self = shared_from_this()](beast::error_code ec) { self->on_connect(ec); });
}

void TcpForward::on_connect(beast::error_code ec) {
  if (done_) return;
  if (ec) return fail("dial tcp " + target_text_ + ": connect: " + ec.message());
  connected_ = true;
  do_read();
  do_write();
  maybe_shutdown_send();
}

void TcpForward::fail(const std::string& why) {
  if (done_) return;
  session_->send(error_id_, failure_prefix_ + why, true);
  session_->send(data_id_, "", true);
  target_eof_ = true;
  to_target_.clear();
  to_target_bytes_ = 0;
  finish_if_done();
}

void TcpForward::do_read() {
  socket_.async_read_some(net::buffer(read_buf_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
    self->on_read(ec, n);
  });
}

void TcpForward::on_read(beast::error_code ec, std::size_t n) {
  if (done_) return;
  if (ec) {
    // The target closed (or broke): end both streams, as the kubelet does
    // when its copy from the pod returns.
    target_eof_ = true;
    session_->send(data_id_, "", true);
    session_->send(error_id_, "", true);
    return finish_if_done();
  }
  // The next read waits until these bytes are written to the client: back-pressure.
  session_->send(data_id_, std::string(read_buf_.data(), n), false,
                 [self = shared_from_this()] {
                   if (!self->done_) self->do_read();
                 });
}

void TcpForward::from_client(std::string data) {
  if (done_ || target_eof_) return session_->consumed(data_id_, data.size());
  to_target_bytes_ += data.size();
  to_target_.push_back(std::move(data));
  if (to_target_bytes_ > kMaxBacklog && !holding_) {
    holding_ = true;
    session_->hold_reads();
  }
  do_write();
}

void TcpForward::do_write() {
  if (writing_ || !connected_ || to_target_.empty() || done_) return;
  writing_ = true;
  net::async_write(socket_, net::buffer(to_target_.front()),
                   [self = shared_from_this()](beast::error_code ec, std::size_t n) { self->on_write(ec, n); });
}

void TcpForward::on_write(beast::error_code ec, std::size_t n) {
  writing_ = false;
  if (done_) return;
  if (ec) {
    // The target stopped reading: what the client still sends is dropped
    // (acknowledged so its windows stay open).
    for (const auto& d : to_target_) session_->consumed(data_id_, d.size());
    to_target_.clear();
    to_target_bytes_ = 0;
    release_hold();
    return finish_if_done();
  }
  to_target_.pop_front();
  to_target_bytes_ -= n;
  session_->consumed(data_id_, n);
  if (holding_ && to_target_bytes_ <= kMaxBacklog / 2) release_hold();
  do_write();
  maybe_shutdown_send();
  finish_if_done();
}

void TcpForward::client_fin() {
  client_fin_ = true;
  maybe_shutdown_send();
}

void TcpForward::maybe_shutdown_send() {
  if (!client_fin_ || !connected_ || send_shut_ || writing_ || !to_target_.empty() || done_) return;
  send_shut_ = true;
  beast::error_code ignored;
  socket_.shutdown(net::ip::tcp::socket::shutdown_send, ignored);  // the target sees EOF
}

void TcpForward::finish_if_done() {
  if (done_ || !target_eof_ || writing_) return;
  done_ = true;
  release_hold();
  beast::error_code ignored;
  socket_.close(ignored);
  auto self = shared_from_this();  // on_done_ drops the owner's reference
  on_done_();
}

void TcpForward::abort() {
  if (done_) return;
  done_ = true;
  release_hold();
  beast::error_code ignored;
  socket_.close(ignored);
}

void TcpForward::release_hold() {
  if (!holding_) return;
  holding_ = false;
  session_->release_reads();
}

}  // namespace aks::fake_apiserver
