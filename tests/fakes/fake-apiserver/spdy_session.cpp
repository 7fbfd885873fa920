#include "tests/fakes/fake-apiserver/spdy_session.h"

#include <algorithm>

#include "tests/fakes/fake-apiserver/limits.h"
#include "tests/fakes/fake-apiserver/log.h"

namespace aks::fake_apiserver {

namespace net = boost::asio;
namespace beast = boost::beast;
using namespace spdy;

namespace {

constexpr std::size_t kMaxDataFrame = 32 * 1024;  // what client-go's copy loops send, too
constexpr std::size_t kWriteBatch = 64 * 1024;    // frames per transport write (one WebSocket message)
constexpr std::uint32_t kGoAwayProtocolError = 1;

}  // namespace

SpdySession::SpdySession(std::unique_ptr<ByteStream> transport, std::string label)
    : transport_(std::move(transport)), label_(std::move(label)), inflater_(kHeaderLimit) {}

void SpdySession::start(std::unique_ptr<Handler> handler) {
  handler_ = std::move(handler);
  do_read();
}

void SpdySession::do_read() {
  if (closed_ || closing_) return;
  if (read_holds_ > 0) {
    read_parked_ = true;
    return;
  }
  transport_->async_read_some(net::buffer(read_buf_),
                              [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                self->on_read(ec, n);
                              });
}

void SpdySession::on_read(beast::error_code ec, std::size_t n) {
  if (closed_) return;
  if (ec) return shutdown();  // the client closed the connection, or it broke
  reader_.append(read_buf_.data(), n);
  try {
    while (auto frame = reader_.next()) {
      dispatch(std::move(*frame));
      if (closed_ || closing_) return;
    }
  } catch (const ProtocolError& e) {
    return protocol_error(e.what());
  }
  do_read();
}

void SpdySession::dispatch(Frame f) {
  if (!f.control) return on_data_frame(f);
  switch (f.type) {
    case FrameType::SynStream:
      return on_syn_stream(f);
    case FrameType::RstStream: {
      const std::uint32_t id = parse_stream_id(f);
      if (streams_.erase(id)) handler_->on_reset(id);
      return;
    }
    case FrameType::Settings:
      return on_settings(f);
    case FrameType::Ping: {
      // Odd ids are the client's (client-go pings every few seconds): echo them.
      const std::uint32_t id = parse_ping_id(f);
      if (id % 2 == 1) queue_control(ping_frame(id));
      return;
    }
    case FrameType::GoAway:
      going_away_ = true;  // the client opens no more streams; it closes the connection itself
      return;
    case FrameType::Headers: {
      const std::uint32_t id = parse_stream_id(f);
      inflater_.inflate(std::string_view(f.payload).substr(4));  // keeps the zlib stream in step
      if (f.flags & kFlagFin) remote_finished(id);
      return;
    }
    case FrameType::WindowUpdate:
      return on_window_update(f);
    case FrameType::SynReply:  // we open no streams
    default:                   // unknown control frames are ignored, as the spec asks
      return;
  }
}

void SpdySession::on_syn_stream(const Frame& f) {
  SynStream s = parse_syn_stream(f);
  // Inflate every header block, even of refused streams: the zlib stream
  // spans them all.
  Headers headers = decode_header_block(inflater_.inflate(s.compressed_headers));
  const std::uint32_t id = s.stream_id;
  if (id == 0 || id % 2 == 0 || id <= last_stream_id_) {
    queue_control(rst_stream_frame(id, RstStatus::ProtocolError));
    return;
  }
  last_stream_id_ = id;
  if (going_away_) {
    queue_control(rst_stream_frame(id, RstStatus::RefusedStream));
    return;
  }
  StreamState state;
  state.send_window = initial_send_window_;
  streams_.emplace(id, std::move(state));
  handler_->on_stream(id, headers);
  if (f.flags & kFlagFin) remote_finished(id);
}

void SpdySession::on_data_frame(Frame& f) {
  const std::uint32_t id = f.stream_id;
  auto it = streams_.find(id);
  if (it == streams_.end() || it->second.remote_fin) {
    // A stream already reset or closed: drop the bytes, but give the
    // session window back so other streams keep flowing.
    if (!f.payload.empty()) queue_control(window_update_frame(0, static_cast<std::uint32_t>(f.payload.size())));
    return;
  }
  const bool fin = (f.flags & kFlagFin) != 0;
  if (!f.payload.empty()) handler_->on_data(id, std::move(f.payload));
  if (fin) remote_finished(id);
}

void SpdySession::on_settings(const Frame& f) {
  for (const auto& [setting, value] : parse_settings(f)) {
    if (setting != kSettingsInitialWindowSize) continue;
    if (value > 0x7fffffff) return protocol_error("SETTINGS: initial window too large");
    const std::int64_t delta = static_cast<std::int64_t>(value) - initial_send_window_;
    initial_send_window_ = value;
    for (auto& [id, st] : streams_) st.send_window += delta;
    peer_flow_control_ = true;
  }
  pump();
}

void SpdySession::on_window_update(const Frame& f) {
  const std::uint32_t id = parse_stream_id(f);
  const std::uint32_t delta = parse_second_word(f);
  peer_flow_control_ = true;
  if (id == 0) {
    session_send_window_ += delta;
  } else if (auto it = streams_.find(id); it != streams_.end()) {
    it->second.send_window += delta;
  }
  pump();
}

void SpdySession::remote_finished(std::uint32_t id) {
  auto it = streams_.find(id);
  if (it == streams_.end() || it->second.remote_fin) return;
  it->second.remote_fin = true;
  handler_->on_remote_fin(id);
  forget_if_done(id);
}

void SpdySession::forget_if_done(std::uint32_t id) {
  auto it = streams_.find(id);
  if (it != streams_.end() && it->second.remote_fin && it->second.local_fin && it->second.out.empty())
    streams_.erase(it);
}

void SpdySession::reply(std::uint32_t id) {
  if (closed_) return;
  queue_control(syn_reply_frame(id, deflater_.deflate(encode_header_block({})), false));
}

void SpdySession::send(std::uint32_t id, std::string data, bool fin, std::function<void()> sent) {
  if (closed_) return;  // on_closed() told the handler already
  auto it = streams_.find(id);
  if (it == streams_.end()) return;  // reset: on_reset() told the handler
  StreamState& st = it->second;
  if (!st.out.empty() && st.out.back().fin) return;
  if (st.local_fin) return;
  st.out.push_back(Outgoing{std::move(data), 0, fin, std::move(sent)});
  pump();
}

void SpdySession::reset(std::uint32_t id, RstStatus status) {
  if (closed_) return;
  streams_.erase(id);
  queue_control(rst_stream_frame(id, status));
}

void SpdySession::consumed(std::uint32_t id, std::size_t bytes) {
  if (closed_ || bytes == 0) return;
  const auto delta = static_cast<std::uint32_t>(bytes);
  queue_control(window_update_frame(0, delta));
  auto it = streams_.find(id);
  if (it != streams_.end() && !it->second.remote_fin) queue_control(window_update_frame(id, delta));
}

void SpdySession::hold_reads() { ++read_holds_; }

void SpdySession::release_reads() {
  if (read_holds_ > 0 && --read_holds_ == 0 && read_parked_) {
    read_parked_ = false;
    do_read();
  }
}

// Appends at most one DATA frame per stream that may send, round-robin from
// the stream after the one served last. False when none could.
bool SpdySession::fill_data_frames() {
  std::vector<std::uint32_t> ids;
  for (const auto& [id, st] : streams_)
    if (!st.out.empty()) ids.push_back(id);
  auto first = std::upper_bound(ids.begin(), ids.end(), next_stream_turn_);
  std::rotate(ids.begin(), first, ids.end());
  bool progress = false;
  for (std::uint32_t id : ids) {
    if (write_buf_.size() >= kWriteBatch) break;
    StreamState& st = streams_.at(id);
    Outgoing& o = st.out.front();
    const std::size_t left = o.data.size() - o.offset;
    std::size_t n = std::min(left, kMaxDataFrame);
    if (peer_flow_control_) {
      const std::int64_t window = std::max<std::int64_t>(0, std::min(st.send_window, session_send_window_));
      n = std::min<std::size_t>(n, static_cast<std::size_t>(window));
    }
    if (n == 0 && left > 0) continue;  // this stream waits for a WINDOW_UPDATE
    const bool last = o.offset + n == o.data.size();
    const bool fin = last && o.fin;
    if (n > 0 || fin) write_buf_ += data_frame(id, std::string_view(o.data).substr(o.offset, n), fin);
    o.offset += n;
    st.send_window -= static_cast<std::int64_t>(n);
    session_send_window_ -= static_cast<std::int64_t>(n);
    next_stream_turn_ = id;
    progress = true;
    if (!last) continue;
    if (o.sent) after_write_.push_back(std::move(o.sent));
    st.out.pop_front();
    if (fin) {
      st.local_fin = true;
      after_write_.push_back([this, id] { forget_if_done(id); });
    }
  }
  return progress;
}

void SpdySession::queue_control(std::string frame) {
  control_.push_back(std::move(frame));
  pump();
}

void SpdySession::pump() {
  if (writing_ || closed_) return;
  write_buf_.clear();
  while (!control_.empty()) {
    write_buf_ += control_.front();
    control_.pop_front();
  }
  if (!closing_)
    while (write_buf_.size() < kWriteBatch && fill_data_frames()) {
    }
  if (write_buf_.empty()) {
    if (closing_) shutdown();
    return;
  }
  writing_ = true;
  transport_->async_write(net::buffer(write_buf_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            self->on_written(ec);
                          });
}

void SpdySession::on_written(beast::error_code ec) {
  writing_ = false;
  if (closed_) {
    transport_->async_close([self = shared_from_this()] {});
    return;
  }
  if (ec) return shutdown();
  std::vector<std::function<void()>> done;
  done.swap(after_write_);
  for (auto& f : done) f();
  pump();
}

void SpdySession::protocol_error(const std::string& why) {
  log_line(label_ + ": SPDY protocol error: " + why);
  going_away_ = true;
  closing_ = true;
  queue_control(goaway_frame(last_stream_id_, kGoAwayProtocolError));
}

void SpdySession::shutdown() {
  if (closed_) return;
  closed_ = true;
  streams_.clear();
  control_.clear();
  after_write_.clear();
  if (handler_) handler_->on_closed();
  // Close after a write in flight completes (on_written), never beside it.
  if (!writing_) transport_->async_close([self = shared_from_this()] {});
}

}  // namespace aks::fake_apiserver
