#pragma once
// An EventStream over HTTP/1.1: the head with Transfer-Encoding: chunked,
// then one chunk per delivered event (watch events, log lines), in order, one
// write at a time. A read runs alongside to notice the client going away,
// which ends the stream and its subscription. An abort event closes the
// connection without the terminating chunk.
#include <deque>
#include <memory>
#include <string>

#include "tests/fakes/fake-apiserver/hub.h"
#include "tests/fakes/fake-apiserver/reply.h"

namespace aks::fake_apiserver {

class ChunkedStream : public Subscriber, public std::enable_shared_from_this<ChunkedStream> {
 public:
  ChunkedStream(Stream&& stream, std::shared_ptr<const EventStream> spec);
  // Writes the head and the initial chunks, then follows the hub.
  void start(Hub& hub);
  void deliver(std::shared_ptr<const Event> event) override;

 private:
  void enqueue(std::string chunk);
  void do_write();
  void on_write(beast::error_code ec, std::size_t bytes);
  void do_watch_close();
  void on_watch_close(beast::error_code ec, std::size_t bytes);
  void abort();

  Stream stream_;
  std::shared_ptr<const EventStream> spec_;
  std::deque<std::string> queue_;
  bool writing_ = false;
  bool closed_ = false;
  bool abort_after_writes_ = false;
  char read_byte_[64];
};

}  // namespace aks::fake_apiserver
