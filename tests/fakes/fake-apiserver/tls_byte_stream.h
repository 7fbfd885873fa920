#pragma once
// A taken-over TLS connection as a ByteStream: bytes the HTTP parser read past
// the upgrade request come first, then the socket.
#include "tests/fakes/fake-apiserver/byte_stream.h"
#include "tests/fakes/fake-apiserver/reply.h"

namespace aks::fake_apiserver {

class TlsByteStream : public ByteStream {
 public:
  TlsByteStream(Stream&& stream, beast::flat_buffer&& already_read);
  void async_read_some(boost::asio::mutable_buffer buffer, Handler handler) override;
  void async_write(boost::asio::const_buffer buffer, Handler handler) override;
  void async_close(std::function<void()> done) override;
  boost::asio::any_io_executor get_executor() override { return stream_.get_executor(); }

 private:
  Stream stream_;
  beast::flat_buffer already_read_;
};

}  // namespace aks::fake_apiserver
