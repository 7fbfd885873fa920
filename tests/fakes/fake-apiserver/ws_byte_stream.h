#pragma once
// A WebSocket as a ByteStream (client-go's SPDY-over-WebSocket tunneling):
// the payloads of binary messages, concatenated, are the byte stream; every
// write goes out as one binary message.
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <string>

#include "tests/fakes/fake-apiserver/byte_stream.h"
#include "tests/fakes/fake-apiserver/reply.h"

namespace aks::fake_apiserver {

class WsByteStream : public ByteStream {
 public:
  explicit WsByteStream(Stream&& stream);
  // The handshake: 101 with `subprotocol` in Sec-WebSocket-Protocol.
  void async_accept(const Request& request, const std::string& subprotocol,
                    std::function<void(beast::error_code)> done);
  void async_read_some(boost::asio::mutable_buffer buffer, Handler handler) override;
  void async_write(boost::asio::const_buffer buffer, Handler handler) override;
  void async_close(std::function<void()> done) override;
  boost::asio::any_io_executor get_executor() override { return ws_.get_executor(); }

 private:
  beast::websocket::stream<Stream> ws_;
};

}  // namespace aks::fake_apiserver
