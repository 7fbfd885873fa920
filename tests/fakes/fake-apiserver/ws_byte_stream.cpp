#include "tests/fakes/fake-apiserver/ws_byte_stream.h"

namespace aks::fake_apiserver {

namespace net = boost::asio;
namespace websocket = beast::websocket;

WsByteStream::WsByteStream(Stream&& stream) : ws_(std::move(stream)) {}

void WsByteStream::async_accept(const Request& request, const std::string& subprotocol,
                                std::function<void(beast::error_code)> done) {
  beast::get_lowest_layer(ws_).expires_never();
  // Idle-timeout pings keep a quiet port-forward open and notice a dead peer.
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.set_option(websocket::stream_base::decorator([subprotocol](websocket::response_type& res) {
    res.set(http::field::sec_websocket_protocol, subprotocol);
  }));
  ws_.binary(true);
  ws_.auto_fragment(false);
  ws_.async_accept(request, std::move(done));
}

void WsByteStream::async_read_some(net::mutable_buffer buffer, Handler handler) {
  ws_.async_read_some(buffer, [this, handler = std::move(handler)](beast::error_code ec, std::size_t n) {
    // The tunnel carries binary messages only; text means a confused peer.
    if (!ec && n > 0 && ws_.got_text()) ec = websocket::error::bad_data_frame;
    handler(ec, n);
  });
}

void WsByteStream::async_write(net::const_buffer buffer, Handler handler) {
  ws_.async_write(buffer, std::move(handler));
}

void WsByteStream::async_close(std::function<void()> done) {
  ws_.async_close(websocket::close_code::normal, [done = std::move(done)](beast::error_code) { done(); });
}

}  // namespace aks::fake_apiserver
