#include "tests/fakes/fake-apiserver/exec_session.h"

#include "tests/fakes/fake-apiserver/exec_command.h"
#include "tests/fakes/fake-apiserver/fail.h"

namespace aks::fake_apiserver {

namespace websocket = beast::websocket;

std::string choose_channel_protocol(const std::string& offered) {
  for (const char* p : {"v5.channel.k8s.io", "v4.channel.k8s.io"})
    if (offered.find(p) != std::string::npos) return p;
  return "";
}

ExecSession::ExecSession(Stream&& stream, std::vector<std::string> command)
    : ws_(std::move(stream)), command_(std::move(command)) {}

void ExecSession::run(Request request) {
  protocol_ = choose_channel_protocol(std::string(request[http::field::sec_websocket_protocol]));
  beast::get_lowest_layer(ws_).expires_never();
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  const std::string protocol = protocol_;
  ws_.set_option(websocket::stream_base::decorator([protocol](websocket::response_type& res) {
    if (!protocol.empty()) res.set(http::field::sec_websocket_protocol, protocol);
  }));
  ws_.binary(true);
  ws_.async_accept(request, beast::bind_front_handler(&ExecSession::on_accept, shared_from_this()));
}

void ExecSession::on_accept(beast::error_code ec) {
  if (ec) return fail(ec, "exec accept");
  if (runs_cat(command_)) return do_read();
  send(1, command_output(command_), &ExecSession::finish);
}

void ExecSession::do_read() {
  buffer_.clear();
  ws_.async_read(buffer_, beast::bind_front_handler(&ExecSession::on_read, shared_from_this()));
}

void ExecSession::on_read(beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "exec read");
  const std::string msg = beast::buffers_to_string(buffer_.data());
  if (msg.empty()) return do_read();
  const unsigned char channel = static_cast<unsigned char>(msg[0]);
  if (channel == 0 && msg.size() > 1) return send(1, msg.substr(1), &ExecSession::do_read);  // cat
  if (channel == 255 && msg.size() > 1 && msg[1] == 0) return finish();  // v5: stdin closed
  do_read();  // resize, empty stdin frames
}

void ExecSession::send(unsigned char channel, const std::string& data, void (ExecSession::*next)()) {
  out_.assign(1, static_cast<char>(channel));
  out_ += data;
  ws_.async_write(boost::asio::buffer(out_),
                  beast::bind_front_handler(&ExecSession::on_sent, shared_from_this(), next));
}

void ExecSession::on_sent(void (ExecSession::*next)(), beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "exec write");
  (this->*next)();
}

void ExecSession::finish() { send(3, kExecSuccessStatus, &ExecSession::do_close); }

void ExecSession::do_close() {
  ws_.async_close(websocket::close_code::normal,
                  beast::bind_front_handler(&ExecSession::on_close, shared_from_this()));
}

void ExecSession::on_close(beast::error_code ec) {
  if (ec) fail(ec, "exec close");
}

}  // namespace aks::fake_apiserver
