#include "tests/fakes/fake-apiserver/blast.h"

#include <boost/asio/write.hpp>

#include <algorithm>

#include "tests/fakes/fake-apiserver/fail.h"

namespace aks::fake_apiserver {

Blast::Blast(Stream&& stream, std::uint64_t bytes)
    : stream_(std::move(stream)),
      left_(bytes),
      head_("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: bench\r\n\r\n"),
      block_(256 * 1024, 'x') {}

void Blast::run() {
  beast::get_lowest_layer(stream_).expires_never();
  boost::asio::async_write(stream_, boost::asio::buffer(head_),
                           beast::bind_front_handler(&Blast::on_write, shared_from_this()));
}

void Blast::on_write(beast::error_code ec, std::size_t n) {
  if (ec) return fail(ec, "blast");
  if (head_sent_) left_ -= std::min<std::uint64_t>(left_, n);
  head_sent_ = true;
  if (left_ == 0) return do_shutdown();
  const std::size_t size = static_cast<std::size_t>(std::min<std::uint64_t>(left_, block_.size()));
  boost::asio::async_write(stream_, boost::asio::buffer(block_.data(), size),
                           beast::bind_front_handler(&Blast::on_write, shared_from_this()));
}

void Blast::do_shutdown() {
  beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
  stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
    // Ignored: the reader may close first; the socket closes with this object.
  });
}

}  // namespace aks::fake_apiserver
