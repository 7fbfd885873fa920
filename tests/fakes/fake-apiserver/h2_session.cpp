#include "tests/fakes/fake-apiserver/h2_session.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>
#include <random>
#include <vector>

#include "tests/fakes/fake-apiserver/app.h"
#include "tests/fakes/fake-apiserver/fail.h"
#include "tests/fakes/fake-apiserver/limits.h"
#include "tests/fakes/fake-apiserver/log.h"
#include "tests/fakes/fake-apiserver/pipeline.h"
#include "tests/fakes/fake-apiserver/responses.h"
#include "tests/fakes/fake-apiserver/status.h"

namespace aks::fake_apiserver {

// One stream: the request as it arrives, then the response body as it leaves.
struct H2Session::Exchange {
  int32_t id = 0;
  Request request;
  std::string method, path, authority, cookies;
  bool too_large = false;
  std::string out;             // response body bytes not yet framed
  std::size_t out_pos = 0;
  bool more = false;           // an event stream: more body may come
  std::optional<std::size_t> cut_after;  // reset the stream after this many body bytes
  std::size_t sent = 0;
  std::shared_ptr<const EventStream> events;
  std::shared_ptr<Subscription> subscription;
};

// An event stream's hub subscriber: posts each event to the session's strand.
class H2Session::Subscription : public Subscriber {
 public:
  Subscription(std::weak_ptr<H2Session> session, int32_t id) : session_(std::move(session)), id_(id) {}
  void deliver(std::shared_ptr<const Event> event) override {
    auto s = session_.lock();
    if (!s) return;
    boost::asio::post(s->stream_.get_executor(), [s, id = id_, event] { s->on_event(id, event); });
  }

 private:
  std::weak_ptr<H2Session> session_;
  int32_t id_;
};

namespace {

std::string lower(beast::string_view s) {
  std::string out(s.data(), s.size());
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Connection-specific fields do not exist in HTTP/2 (RFC 9113 8.2.2).
bool connection_specific(const std::string& name) {
  return name == "connection" || name == "keep-alive" || name == "proxy-connection" ||
         name == "transfer-encoding" || name == "upgrade";
}

nghttp2_nv nv(const std::string& name, const std::string& value) {
  return {reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
          reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
          NGHTTP2_NV_FLAG_NONE};
}

App& app_of(void* session) { return *static_cast<H2Session*>(session)->app(); }

bool goaway_roll(double chance) {
  if (chance <= 0) return false;
  thread_local std::mt19937 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0, 1)(rng) < chance;
}

}  // namespace

H2Session::H2Session(Stream&& stream, std::shared_ptr<App> app)
    : stream_(std::move(stream)), app_(std::move(app)) {}

H2Session::~H2Session() {
  if (session_) nghttp2_session_del(session_);
}

void H2Session::run() {
  nghttp2_session_callbacks* cbs = nullptr;
  nghttp2_session_callbacks_new(&cbs);
  nghttp2_session_callbacks_set_on_begin_headers_callback(cbs, on_begin_headers);
  nghttp2_session_callbacks_set_on_header_callback(cbs, on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, on_data_chunk);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, on_frame_recv);
  nghttp2_session_callbacks_set_on_stream_close_callback(cbs, on_stream_close);
  const int rv = nghttp2_session_server_new(&session_, cbs, this);
  nghttp2_session_callbacks_del(cbs);
  if (rv != 0) return log_line(std::string("h2 session: ") + nghttp2_strerror(rv));
  const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, app_->options.http2_max_streams}};
  nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings, 1);
  app_->h2_sessions.add(weak_from_this());
  // HTTP/2 connections idle between requests (Go's server has no read
  // deadline on them either); the client's PINGs and close end them.
  beast::get_lowest_layer(stream_).expires_never();
  do_read();
  flush();
}

void H2Session::goaway() {
  boost::asio::post(stream_.get_executor(), [self = shared_from_this()] {
    self->start_goaway();
    self->flush();
  });
}

void H2Session::start_goaway() {
  if (goaway_sent_ || closed_) return;
  goaway_sent_ = true;
  nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE, nghttp2_session_get_last_proc_stream_id(session_),
                        NGHTTP2_NO_ERROR, nullptr, 0);
}

int H2Session::on_begin_headers(nghttp2_session* session, const nghttp2_frame* frame, void* p) {
  auto* self = static_cast<H2Session*>(p);
  if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
  auto ex = std::make_unique<Exchange>();
  ex->id = frame->hd.stream_id;
  nghttp2_session_set_stream_user_data(session, ex->id, ex.get());
  self->streams_[ex->id] = std::move(ex);
  return 0;
}

int H2Session::on_header(nghttp2_session* session, const nghttp2_frame* frame, const uint8_t* name,
                         size_t namelen, const uint8_t* value, size_t valuelen, uint8_t, void*) {
  auto* ex = static_cast<Exchange*>(nghttp2_session_get_stream_user_data(session, frame->hd.stream_id));
  if (!ex || frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
  const std::string n(reinterpret_cast<const char*>(name), namelen);
  const std::string v(reinterpret_cast<const char*>(value), valuelen);
  if (n == ":method") ex->method = v;
  else if (n == ":path") ex->path = v;
  else if (n == ":authority") ex->authority = v;
  else if (n == "cookie") ex->cookies += (ex->cookies.empty() ? "" : "; ") + v;  // RFC 9113 8.2.3
  else if (n[0] != ':') ex->request.insert(n, v);
  return 0;
}

int H2Session::on_data_chunk(nghttp2_session* session, uint8_t, int32_t stream_id, const uint8_t* data, size_t len,
                             void*) {
  auto* ex = static_cast<Exchange*>(nghttp2_session_get_stream_user_data(session, stream_id));
  if (!ex) return 0;
  if (ex->request.body().size() + len > kBodyLimit) {
    ex->too_large = true;
    return 0;
  }
  ex->request.body().append(reinterpret_cast<const char*>(data), len);
  return 0;
}

int H2Session::on_frame_recv(nghttp2_session* session, const nghttp2_frame* frame, void* p) {
  auto* self = static_cast<H2Session*>(p);
  if ((frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA) ||
      !(frame->hd.flags & NGHTTP2_FLAG_END_STREAM))
    return 0;
  auto* ex = static_cast<Exchange*>(nghttp2_session_get_stream_user_data(session, frame->hd.stream_id));
  if (ex) self->handle(*ex);
  return 0;
}

int H2Session::on_stream_close(nghttp2_session*, int32_t stream_id, uint32_t, void* p) {
  auto* self = static_cast<H2Session*>(p);
  auto it = self->streams_.find(stream_id);
  if (it == self->streams_.end()) return 0;
  self->app_->h2_unsent -= static_cast<std::int64_t>(it->second->out.size() - it->second->out_pos);
  // Dropping the exchange drops its hub subscription (the hub holds weak ones).
  self->streams_.erase(it);
  return 0;
}

void H2Session::handle(Exchange& ex) {
  Request& req = ex.request;
  if (ex.too_large) return respond(ex, status_reply(failure_status(413, "RequestEntityTooLarge", "request body too large")));
  req.method_string(ex.method);
  req.target(ex.path);
  req.version(11);
  if (!ex.authority.empty() && req.count(http::field::host) == 0) req.set(http::field::host, ex.authority);
  if (!ex.cookies.empty()) req.set(http::field::cookie, ex.cookies);
  if (!req.body().empty()) req.prepare_payload();
  Reply reply = handle_request(*app_, req);
  if (reply.takeover) {
    // What kube-apiserver answers an exec or port-forward that is not an upgrade.
    reply = status_reply(bad_request_status("Upgrade request required"));
    reply.response.prepare_payload();
  }
  // kube-apiserver's goaway filter (see the header): this answer, then GOAWAY.
  if (ex.path.rfind("/_control/", 0) != 0 && goaway_roll(app_->options.goaway_chance))
    reply.response.set(http::field::connection, "close");
  respond(ex, std::move(reply));
}

void H2Session::respond(Exchange& ex, Reply reply) {
  std::vector<std::pair<std::string, std::string>> fields;
  nghttp2_data_provider body{};
  body.source.ptr = &ex;
  body.read_callback = read_body;
  bool has_body = true;
  if (reply.events) {
    const EventStream& spec = *reply.events;
    fields = {{":status", "200"}, {"content-type", spec.content_type}, {"cache-control", "no-cache, private"}};
    for (const std::string& text : spec.initial) ex.out += text;
    ex.more = true;
    ex.events = reply.events;
    ex.subscription = std::make_shared<Subscription>(weak_from_this(), ex.id);
    app_->hub.subscribe(spec.topic, ex.subscription);
  } else {
    Response& res = reply.response;
    fields.emplace_back(":status", std::to_string(res.result_int()));
    for (const auto& f : res) {
      std::string name = lower(f.name_string());
      std::string value(f.value().data(), f.value().size());
      if (name == "connection" && value == "close") start_goaway();
      if (connection_specific(name)) continue;
      fields.emplace_back(std::move(name), std::move(value));
    }
    const int code = res.result_int();
    has_body = ex.method != "HEAD" && code != 204 && code != 304 && code >= 200;
    ex.out = std::move(res.body());
    ex.cut_after = reply.cut_after;
  }
  app_->h2_unsent += static_cast<std::int64_t>(ex.out.size());
  std::vector<nghttp2_nv> nva;
  for (const auto& [n, v] : fields) nva.push_back(nv(n, v));
  nghttp2_submit_response(session_, ex.id, nva.data(), nva.size(), has_body ? &body : nullptr);
}

ssize_t H2Session::read_body(nghttp2_session*, int32_t, uint8_t* buf, size_t length, uint32_t* flags,
                             nghttp2_data_source* source, void* self) {
  auto* ex = static_cast<Exchange*>(source->ptr);
  std::size_t avail = ex->out.size() - ex->out_pos;
  if (ex->cut_after) {
    if (ex->sent >= *ex->cut_after) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // → RST_STREAM
    avail = std::min(avail, *ex->cut_after - ex->sent);
  }
  const std::size_t n = std::min(avail, length);
  std::memcpy(buf, ex->out.data() + ex->out_pos, n);
  ex->out_pos += n;
  ex->sent += n;
  app_of(self).h2_unsent -= static_cast<std::int64_t>(n);
  if (ex->out_pos == ex->out.size()) {
    ex->out.clear();
    ex->out_pos = 0;
  }
  if (n == 0 && ex->more) return NGHTTP2_ERR_DEFERRED;  // resumed by the next event
  if (!ex->more && !ex->cut_after && ex->out.empty()) *flags |= NGHTTP2_DATA_FLAG_EOF;
  return static_cast<ssize_t>(n);
}

void H2Session::on_event(int32_t stream_id, const std::shared_ptr<const Event>& event) {
  auto it = streams_.find(stream_id);
  if (closed_ || it == streams_.end() || !it->second->events) return;
  if (event->abort) {
    nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream_id, NGHTTP2_INTERNAL_ERROR);
    return flush();
  }
  const EventStream& spec = *it->second->events;
  // Rendered once for all the streams of this format (HTTP/1.1 ones add chunk framing: another key).
  std::string text = event->rendered("h2:" + spec.format_key, [&] { return spec.format(*event); });
  if (text.empty()) return;
  it->second->out += text;
  app_->h2_unsent += static_cast<std::int64_t>(text.size());
  nghttp2_session_resume_data(session_, stream_id);
  flush();
}

void H2Session::do_read() {
  stream_.async_read_some(boost::asio::buffer(read_buf_),
                          beast::bind_front_handler(&H2Session::on_read, shared_from_this()));
}

void H2Session::on_read(beast::error_code ec, std::size_t bytes) {
  if (closed_) return;
  if (ec) {
    fail(ec, "h2 read");
    return close();
  }
  const ssize_t rv =
      nghttp2_session_mem_recv(session_, reinterpret_cast<const uint8_t*>(read_buf_.data()), bytes);
  if (rv < 0) {
    log_line(std::string("h2: ") + nghttp2_strerror(static_cast<int>(rv)));
    return close();
  }
  flush();
  if (!closed_) do_read();
}

// One write at a time: everything nghttp2 has queued, up to 64 KiB.
void H2Session::flush() {
  if (writing_ || closed_) return;
  write_buf_.clear();
  while (write_buf_.size() < 64 * 1024) {
    const uint8_t* data = nullptr;
    const ssize_t n = nghttp2_session_mem_send(session_, &data);
    if (n < 0) {
      log_line(std::string("h2: ") + nghttp2_strerror(static_cast<int>(n)));
      return close();
    }
    if (n == 0) break;
    write_buf_.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
  }
  if (write_buf_.empty()) {
    // After a GOAWAY with no stream left (or the peer's GOAWAY), nghttp2 wants nothing more.
    if (!nghttp2_session_want_read(session_) && !nghttp2_session_want_write(session_)) close();
    return;
  }
  writing_ = true;
  beast::get_lowest_layer(stream_).expires_after(kIdleTimeout);
  boost::asio::async_write(stream_, boost::asio::buffer(write_buf_),
                           beast::bind_front_handler(&H2Session::on_write, shared_from_this()));
}

void H2Session::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (closed_) return;
  beast::get_lowest_layer(stream_).expires_never();
  if (ec) {
    fail(ec, "h2 write");
    return close();
  }
  flush();
}

void H2Session::close() {
  if (closed_) return;
  closed_ = true;
  for (const auto& [id, ex] : streams_) app_->h2_unsent -= static_cast<std::int64_t>(ex->out.size() - ex->out_pos);
  streams_.clear();
  beast::get_lowest_layer(stream_).expires_after(kShutdownTimeout);
  stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
    // Ignored: the client may close first; the socket closes with this object.
    beast::get_lowest_layer(self->stream_).close();
  });
}

}  // namespace aks::fake_apiserver
