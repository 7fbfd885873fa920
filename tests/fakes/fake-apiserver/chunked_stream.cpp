#include "tests/fakes/fake-apiserver/chunked_stream.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <cstdio>

#include "tests/fakes/fake-apiserver/fail.h"

namespace aks::fake_apiserver {
namespace {

std::string chunk(const std::string& data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return size + data + "\r\n";
}

}  // namespace

ChunkedStream::ChunkedStream(Stream&& stream, std::shared_ptr<const EventStream> spec)
    : stream_(std::move(stream)), spec_(std::move(spec)) {}

void ChunkedStream::start(Hub& hub) {
  // Idle watches and log follows are normal: no deadline while streaming.
  beast::get_lowest_layer(stream_).expires_never();
  enqueue("HTTP/1.1 200 OK\r\nContent-Type: " + spec_->content_type +
          "\r\nCache-Control: no-cache, private\r\nTransfer-Encoding: chunked\r\n\r\n");
  for (auto& text : spec_->initial) enqueue(chunk(text));
  hub.subscribe(spec_->topic, shared_from_this());
  do_watch_close();
}

void ChunkedStream::deliver(std::shared_ptr<const Event> event) {
  boost::asio::post(stream_.get_executor(), [self = shared_from_this(), event] {
    if (event->abort) return self->abort();
    std::string text = event->rendered(self->spec_->format_key, [&] {
      std::string t = self->spec_->format(*event);
      return t.empty() ? t : chunk(t);
    });
    if (!text.empty()) self->enqueue(std::move(text));
  });
}

// What was queued before the abort still goes out; then the connection ends
// mid-body.
void ChunkedStream::abort() {
  if (closed_) return;
  if (writing_) {
    abort_after_writes_ = true;
    return;
  }
  closed_ = true;
  beast::get_lowest_layer(stream_).close();
}

void ChunkedStream::enqueue(std::string data) {
  if (closed_ || abort_after_writes_) return;
  queue_.push_back(std::move(data));
  if (!writing_) do_write();
}

void ChunkedStream::do_write() {
  writing_ = true;
  boost::asio::async_write(stream_, boost::asio::buffer(queue_.front()),
                           beast::bind_front_handler(&ChunkedStream::on_write, shared_from_this()));
}

void ChunkedStream::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (ec) {
    closed_ = true;
    return fail(ec, "stream write");
  }
  queue_.pop_front();
  if (!queue_.empty()) return do_write();
  if (abort_after_writes_) {
    abort_after_writes_ = false;
    abort();
  }
}

void ChunkedStream::do_watch_close() {
  stream_.async_read_some(boost::asio::buffer(read_byte_),
                          beast::bind_front_handler(&ChunkedStream::on_watch_close, shared_from_this()));
}

void ChunkedStream::on_watch_close(beast::error_code ec, std::size_t) {
  if (closed_) return;
  if (!ec) return do_watch_close();  // a client may send more requests; this one never ends
  closed_ = true;
  beast::get_lowest_layer(stream_).close();
}

}  // namespace aks::fake_apiserver
