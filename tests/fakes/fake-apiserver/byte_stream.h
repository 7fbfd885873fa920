#pragma once
// The byte stream a SPDY session runs on: the TLS connection itself after a
// plain "Upgrade: SPDY/3.1", or the binary messages of a WebSocket
// ("SPDY/3.1+portforward.k8s.io" tunneling) read and written as one stream.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>

#include <functional>

namespace aks::fake_apiserver {

class ByteStream {
 public:
  using Handler = std::function<void(boost::beast::error_code, std::size_t)>;
  virtual ~ByteStream() = default;
  // At most one read and one write in flight at a time, on the connection's strand.
  virtual void async_read_some(boost::asio::mutable_buffer buffer, Handler handler) = 0;
  virtual void async_write(boost::asio::const_buffer buffer, Handler handler) = 0;  // all of it
  // A graceful close (TLS close_notify, WebSocket close frame); `done` runs after.
  virtual void async_close(std::function<void()> done) = 0;
  virtual boost::asio::any_io_executor get_executor() = 0;
};

}  // namespace aks::fake_apiserver
