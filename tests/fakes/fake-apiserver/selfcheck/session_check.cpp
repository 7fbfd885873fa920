// SpdySession against a scripted client over an in-memory transport: the
// protocol paths kubectl never takes (it sends no SETTINGS or
// WINDOW_UPDATE) are checked here.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <map>
#include <vector>

#include "tests/fakes/fake-apiserver/selfcheck/check.h"
#include "tests/fakes/fake-apiserver/spdy_session.h"

namespace aks::fake_apiserver::selfcheck {
namespace {

namespace net = boost::asio;
using namespace spdy;

// The client's end of the connection, in memory.
class MemoryStream : public ByteStream {
 public:
  MemoryStream(net::io_context& ioc, std::string& written) : ioc_(ioc), written_(written) {}
  void push(const std::string& bytes) {
    inbox_ += bytes;
    deliver();
  }
  void async_read_some(net::mutable_buffer buffer, Handler handler) override {
    pending_buf_ = buffer;
    pending_ = std::move(handler);
    deliver();
  }
  void async_write(net::const_buffer buffer, Handler handler) override {
    written_.append(static_cast<const char*>(buffer.data()), buffer.size());
    net::post(ioc_, [handler = std::move(handler), n = buffer.size()] { handler({}, n); });
  }
  void async_close(std::function<void()> done) override {
    closed = true;
    net::post(ioc_, std::move(done));
  }
  net::any_io_executor get_executor() override { return ioc_.get_executor(); }
  // The pending read holds the session that owns this stream: let go of it.
  void drop_pending_read() { pending_ = nullptr; }
  bool closed = false;

 private:
  void deliver() {
    if (!pending_ || inbox_.empty()) return;
    const std::size_t n = std::min(inbox_.size(), pending_buf_.size());
    std::copy_n(inbox_.data(), n, static_cast<char*>(pending_buf_.data()));
    inbox_.erase(0, n);
    net::post(ioc_, [h = std::move(pending_), n] { h({}, n); });
    pending_ = nullptr;
  }
  net::io_context& ioc_;
  std::string& written_;
  std::string inbox_;
  net::mutable_buffer pending_buf_;
  Handler pending_;
};

// Records what the session reports; accepts every stream and consumes data at once.
struct Recorder : SpdySession::Handler {
  explicit Recorder(SpdySession& s) : session(s) {}
  void on_stream(std::uint32_t id, const Headers& h) override {
    streams[id] = header_value(h, "streamtype");
    session.reply(id);
  }
  void on_data(std::uint32_t id, std::string data) override {
    received[id] += data;
    session.consumed(id, data.size());
  }
  void on_remote_fin(std::uint32_t id) override { fins.push_back(id); }
  void on_reset(std::uint32_t id) override { resets.push_back(id); }
  void on_closed() override { closed = true; }
  SpdySession& session;
  std::map<std::uint32_t, std::string> streams, received;
  std::vector<std::uint32_t> fins, resets;
  bool closed = false;
};

void put32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

std::string control(FrameType type, std::uint8_t flags, const std::string& payload, std::uint16_t version = 3) {
  std::string out;
  put32(out, 0x80000000u | std::uint32_t{version} << 16 | static_cast<std::uint16_t>(type));
  put32(out, std::uint32_t{flags} << 24 | static_cast<std::uint32_t>(payload.size()));
  return out + payload;
}

struct Client {
  net::io_context ioc;
  std::string from_server;
  MemoryStream* wire = nullptr;
  std::shared_ptr<SpdySession> session;
  Recorder* recorder = nullptr;
  HeaderDeflater deflater;
  FrameReader reader;
  HeaderInflater inflater{64 * 1024};

  Client() {
    auto stream = std::make_unique<MemoryStream>(ioc, from_server);
    wire = stream.get();
    session = std::make_shared<SpdySession>(std::move(stream), "check");
    auto rec = std::make_unique<Recorder>(*session);
    recorder = rec.get();
    session->start(std::move(rec));
  }
  ~Client() { wire->drop_pending_read(); }
  void send(const std::string& bytes) {
    wire->push(bytes);
    ioc.poll();
    ioc.restart();
  }
  void syn_stream(std::uint32_t id, const std::string& type) {
    std::string payload;
    put32(payload, id);
    put32(payload, 0);
    payload += std::string(2, '\0');
    payload += deflater.deflate(encode_header_block({{"streamtype", type}}));
    send(control(FrameType::SynStream, 0, payload));
  }
  void word_pair(FrameType type, std::uint32_t a, std::uint32_t b) {
    std::string payload;
    put32(payload, a);
    put32(payload, b);
    send(control(type, 0, payload));
  }
  // Frames the server wrote since the last call.
  std::vector<Frame> frames() {
    reader.append(from_server.data(), from_server.size());
    from_server.clear();
    std::vector<Frame> out;
    while (auto f = reader.next()) out.push_back(std::move(*f));
    return out;
  }
  std::size_t data_bytes(const std::vector<Frame>& fs, std::uint32_t id) {
    std::size_t n = 0;
    for (const auto& f : fs)
      if (!f.control && f.stream_id == id) n += f.payload.size();
    return n;
  }
  void run() {
    ioc.poll();
    ioc.restart();
  }
};

bool has(const std::vector<Frame>& fs, FrameType type, std::uint32_t first, std::uint32_t second) {
  for (const auto& f : fs)
    if (f.control && f.type == type && parse_stream_id(f) == (first & 0x7fffffff) &&
        (type == FrameType::SynReply || type == FrameType::Ping || parse_second_word(f) == second))
      return true;
  return false;
}

void streams_pings_and_window_updates() {
  Client c;
  c.syn_stream(1, "data");
  auto fs = c.frames();
  check(c.recorder->streams[1] == "data", "session: SYN_STREAM reaches the handler with its headers");
  check(has(fs, FrameType::SynReply, 1, 0), "session: SYN_REPLY for the accepted stream");
  check(!fs.empty() && fs[0].type == FrameType::SynReply &&
            decode_header_block(c.inflater.inflate(fs[0].payload.substr(4))).empty(),
        "session: SYN_REPLY header block inflates (empty)");
  std::string ping;
  put32(ping, 7);
  c.send(control(FrameType::Ping, 0, ping));
  fs = c.frames();
  check(has(fs, FrameType::Ping, 7, 0), "session: the client's PING is echoed");
  c.send(data_frame(1, "abc", false));
  fs = c.frames();
  check(c.recorder->received[1] == "abc", "session: DATA reaches the handler");
  check(has(fs, FrameType::WindowUpdate, 0, 3) && has(fs, FrameType::WindowUpdate, 1, 3),
        "session: consumed bytes are given back (session and stream WINDOW_UPDATE)");
  c.send(data_frame(1, "", true));
  check(c.recorder->fins == std::vector<std::uint32_t>{1}, "session: FIN reaches the handler");
}

void flow_control() {
  // Without SETTINGS or WINDOW_UPDATE from the client (spdystream), windows are not enforced.
  Client loose;
  loose.syn_stream(1, "data");
  loose.frames();
  loose.session->send(1, std::string(200 * 1024, 'x'), true);
  loose.run();
  auto fs = loose.frames();
  check(loose.data_bytes(fs, 1) == 200 * 1024, "flow control: a client without it gets everything");

  Client c;
  std::string settings;
  put32(settings, 1);
  put32(settings, kSettingsInitialWindowSize);
  put32(settings, 10);
  c.send(control(FrameType::Settings, 0, settings));
  c.syn_stream(1, "data");
  c.frames();
  c.session->send(1, std::string(100, 'y'), true);
  c.run();
  fs = c.frames();
  check(c.data_bytes(fs, 1) == 10, "flow control: SETTINGS initial window 10 -> 10 bytes sent");
  c.word_pair(FrameType::WindowUpdate, 1, 50);
  c.run();
  fs = c.frames();
  check(c.data_bytes(fs, 1) == 50, "flow control: WINDOW_UPDATE 50 -> 50 more");
  c.word_pair(FrameType::WindowUpdate, 1, 1000);
  c.run();
  fs = c.frames();
  check(c.data_bytes(fs, 1) == 40 && !fs.empty() && (fs.back().flags & kFlagFin),
        "flow control: the rest, then FIN");
}

void resets_goaway_and_errors() {
  Client c;
  c.syn_stream(1, "data");
  c.word_pair(FrameType::RstStream, 1, static_cast<std::uint32_t>(RstStatus::Cancel));
  check(c.recorder->resets == std::vector<std::uint32_t>{1}, "session: RST_STREAM reaches the handler");
  c.frames();
  c.session->send(1, "late", false);
  c.run();
  check(c.data_bytes(c.frames(), 1) == 0, "session: nothing is sent on a reset stream");
  c.word_pair(FrameType::GoAway, 0, 0);
  c.syn_stream(3, "data");
  auto fs = c.frames();
  check(has(fs, FrameType::RstStream, 3, static_cast<std::uint32_t>(RstStatus::RefusedStream)) &&
            !c.recorder->streams.count(3),
        "session: after GOAWAY new streams are refused");
  c.syn_stream(2, "data");  // even ids are the server's
  fs = c.frames();
  check(has(fs, FrameType::RstStream, 2, static_cast<std::uint32_t>(RstStatus::ProtocolError)),
        "session: a stream id out of order is a protocol error");

  Client bad;
  bad.send(control(FrameType::Ping, 0, std::string(4, '\0'), 2));  // SPDY/2
  bad.run();
  fs = bad.frames();
  check(!fs.empty() && fs.back().type == FrameType::GoAway && bad.wire->closed && bad.recorder->closed,
        "session: another SPDY version gets GOAWAY and the connection closes");
}

}  // namespace

void check_session() {
  streams_pings_and_window_updates();
  flow_control();
  resets_goaway_and_errors();
}

}  // namespace aks::fake_apiserver::selfcheck
