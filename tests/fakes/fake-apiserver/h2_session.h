#pragma once
// Second phase of a connection whose ALPN chose "h2": HTTP/2 through
// libnghttp2's server session, with the same routes as HttpSession.
//
// Modelled on what kube-apiserver runs, Go's golang.org/x/net/http2/server.go
// (x/net at 0ca694d2): SETTINGS_MAX_CONCURRENT_STREAMS from
// --http2-max-streams (Go's default 250); a response that carries
// "Connection: close" — kube-apiserver's --goaway-chance filter sets it,
// k8s.io/apiserver/pkg/server/filters/goaway.go — starts a graceful shutdown:
// GOAWAY(NO_ERROR) naming the highest stream received, the streams in flight
// finish, then the connection closes (server.go, startGracefulShutdown and
// writeHeaders' "Connection" handling). Event streams (watches, logs follow)
// are DATA frames as events come; an abort event resets them with
// RST_STREAM(INTERNAL_ERROR). HTTP/2 has no Upgrade: exec, attach and
// port-forward get 400 here, so clients use HTTP/1.1 connections for them.
#include <nghttp2/nghttp2.h>

#include <array>
#include <map>
#include <memory>
#include <string>

#include "tests/fakes/fake-apiserver/reply.h"

namespace aks::fake_apiserver {

struct App;

class H2Session : public std::enable_shared_from_this<H2Session> {
 public:
  H2Session(Stream&& stream, std::shared_ptr<App> app);
  ~H2Session();
  void run();  // call on the stream's strand
  // From any thread: a graceful GOAWAY now (/_control/goaway).
  void goaway();
  App* app() const { return app_.get(); }

 private:
  struct Exchange;
  class Subscription;

  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* self);
  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name, size_t namelen,
                       const uint8_t* value, size_t valuelen, uint8_t flags, void* self);
  static int on_data_chunk(nghttp2_session*, uint8_t flags, int32_t stream_id, const uint8_t* data, size_t len,
                           void* self);
  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* self);
  static int on_stream_close(nghttp2_session*, int32_t stream_id, uint32_t error_code, void* self);
  static ssize_t read_body(nghttp2_session*, int32_t stream_id, uint8_t* buf, size_t length, uint32_t* flags,
                           nghttp2_data_source* source, void* self);

  void handle(Exchange& ex);
  void respond(Exchange& ex, Reply reply);
  void on_event(int32_t stream_id, const std::shared_ptr<const Event>& event);
  void start_goaway();
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void flush();
  void on_write(beast::error_code ec, std::size_t bytes);
  void close();

  Stream stream_;
  std::shared_ptr<App> app_;
  nghttp2_session* session_ = nullptr;
  std::map<int32_t, std::unique_ptr<Exchange>> streams_;
  std::array<char, 16 * 1024> read_buf_{};
  std::string write_buf_;
  bool writing_ = false;
  bool closed_ = false;
  bool goaway_sent_ = false;
};

}  // namespace aks::fake_apiserver
