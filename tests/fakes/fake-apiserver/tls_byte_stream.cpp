#include "tests/fakes/fake-apiserver/tls_byte_stream.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "tests/fakes/fake-apiserver/limits.h"

namespace aks::fake_apiserver {

namespace net = boost::asio;

TlsByteStream::TlsByteStream(Stream&& stream, beast::flat_buffer&& already_read)
    : stream_(std::move(stream)), already_read_(std::move(already_read)) {
  // A SPDY connection idles between port-forward connections; the client's
  // pings and its close end it, not a timer.
  beast::get_lowest_layer(stream_).expires_never();
}

void TlsByteStream::async_read_some(net::mutable_buffer buffer, Handler handler) {
  if (already_read_.size() > 0) {
    const std::size_t n = net::buffer_copy(buffer, already_read_.data());
    already_read_.consume(n);
    // Never complete inline: the caller expects the handler later.
    net::post(stream_.get_executor(), [handler = std::move(handler), n] { handler({}, n); });
    return;
  }
  stream_.async_read_some(buffer, std::move(handler));
}

void TlsByteStream::async_write(net::const_buffer buffer, Handler handler) {
  net::async_write(stream_, buffer, std::move(handler));
}

void TlsByteStream::async_close(std::function<void()> done) {
  beast::get_lowest_layer(stream_).expires_after(kShutdownTimeout);
  // The result is ignored: clients often close without answering close_notify.
  stream_.async_shutdown([done = std::move(done)](beast::error_code) { done(); });
}

}  // namespace aks::fake_apiserver
