#pragma once
// A response that stays open: the head with Transfer-Encoding: chunked, then
// one chunk per delivered event (watch events, log lines), in order, one write
// at a time. A read runs alongside to notice the client going away, which
// ends the stream and its subscription.
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "tests/fakes/fake-apiserver/hub.h"
#include "tests/fakes/fake-apiserver/reply.h"

namespace aks::fake_apiserver {

class ChunkedStream : public Subscriber, public std::enable_shared_from_this<ChunkedStream> {
 public:
  // Turns an event into the chunk's text; "" skips the event.
  using Format = std::function<std::string(const Event&)>;

  // Streams with the same format_key format every event the same way.
  ChunkedStream(Stream&& stream, std::string content_type, Format format, std::string format_key);
  // Writes the head and the initial chunks, then follows the hub.
  void start(Hub& hub, Topic topic, std::vector<std::string> initial);
  void deliver(std::shared_ptr<const Event> event) override;

 private:
  void enqueue(std::string chunk);
  void do_write();
  void on_write(beast::error_code ec, std::size_t bytes);
  void do_watch_close();
  void on_watch_close(beast::error_code ec, std::size_t bytes);

  Stream stream_;
  std::string content_type_;
  Format format_;
  std::string format_key_;
  std::deque<std::string> queue_;
  bool writing_ = false;
  bool closed_ = false;
  char read_byte_[64];
};

}  // namespace aks::fake_apiserver
