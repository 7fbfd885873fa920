#pragma once
// The server side of one SPDY/3.1 connection: reads frames, keeps the header
// zlib contexts, answers PING, honours SETTINGS/WINDOW_UPDATE/RST_STREAM/
// GOAWAY, and writes frames in order from one queue. What the streams mean
// (port-forward, exec) is the Handler's business.
//
// Flow control: every received DATA byte is acknowledged with WINDOW_UPDATEs
// (stream and session) once the handler has consumed it, so a flow-controlled
// client never stalls. What we send stays within the client's windows as long
// as the client takes part in flow control; Go's spdystream (kubectl,
// kubelet) never sends WINDOW_UPDATE nor enforces windows, so until a client
// has sent one WINDOW_UPDATE or SETTINGS its windows are not enforced —
// otherwise every kubectl transfer would stop after 64 KiB.
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/fakes/fake-apiserver/byte_stream.h"
#include "tests/fakes/fake-apiserver/spdy_compression.h"
#include "tests/fakes/fake-apiserver/spdy_framer.h"
#include "tests/fakes/fake-apiserver/spdy_header_block.h"

namespace aks::fake_apiserver {

class SpdySession : public std::enable_shared_from_this<SpdySession> {
 public:
  // Every callback runs on the connection's strand.
  class Handler {
   public:
    virtual ~Handler() = default;
    // A new stream from the client; accept it with reply() (the client waits for that).
    virtual void on_stream(std::uint32_t id, const spdy::Headers& headers) = 0;
    // Bytes on a stream; call consumed() once they are delivered.
    virtual void on_data(std::uint32_t id, std::string data) = 0;
    virtual void on_remote_fin(std::uint32_t id) = 0;  // the client half-closed the stream
    virtual void on_reset(std::uint32_t id) = 0;       // RST_STREAM from the client
    virtual void on_closed() = 0;                      // the connection is gone: let go of everything
  };

  SpdySession(std::unique_ptr<ByteStream> transport, std::string label);
  void start(std::unique_ptr<Handler> handler);

  void reply(std::uint32_t id);
  // Queues DATA (split into frames); `sent` runs once the last byte is written,
  // which gives producers back-pressure. An empty `data` with fin is a bare FIN.
  void send(std::uint32_t id, std::string data, bool fin, std::function<void()> sent = {});
  void reset(std::uint32_t id, spdy::RstStatus status);
  void consumed(std::uint32_t id, std::size_t bytes);
  // Counted: while any hold is on, no more bytes are read from the client.
  void hold_reads();
  void release_reads();
  bool stream_open(std::uint32_t id) const { return streams_.count(id) != 0; }
  boost::asio::any_io_executor get_executor() { return transport_->get_executor(); }
  const std::string& label() const { return label_; }

 private:
  struct Outgoing {
    std::string data;
    std::size_t offset = 0;
    bool fin = false;
    std::function<void()> sent;
  };
  struct StreamState {
    bool remote_fin = false;
    bool local_fin = false;  // our FIN is written
    std::int64_t send_window = spdy::kInitialWindow;
    std::deque<Outgoing> out;
  };

  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t n);
  void dispatch(spdy::Frame frame);
  void on_syn_stream(const spdy::Frame& f);
  void on_data_frame(spdy::Frame& f);
  void on_settings(const spdy::Frame& f);
  void on_window_update(const spdy::Frame& f);
  void remote_finished(std::uint32_t id);
  void forget_if_done(std::uint32_t id);
  bool fill_data_frames();
  void queue_control(std::string frame);
  void pump();
  void on_written(boost::beast::error_code ec);
  void protocol_error(const std::string& why);
  void shutdown();

  std::unique_ptr<ByteStream> transport_;
  std::string label_;
  std::unique_ptr<Handler> handler_;
  spdy::FrameReader reader_;
  spdy::HeaderInflater inflater_;
  spdy::HeaderDeflater deflater_;
  std::array<char, 64 * 1024> read_buf_{};
  std::map<std::uint32_t, StreamState> streams_;
  std::uint32_t last_stream_id_ = 0;
  std::int64_t session_send_window_ = spdy::kInitialWindow;
  std::int64_t initial_send_window_ = spdy::kInitialWindow;
  bool peer_flow_control_ = false;  // the client sent WINDOW_UPDATE or SETTINGS
  std::uint32_t next_stream_turn_ = 0;  // round-robin across streams with data
  std::deque<std::string> control_;
  std::string write_buf_;
  std::vector<std::function<void()>> after_write_;
  bool writing_ = false;
  int read_holds_ = 0;
  bool read_parked_ = false;  // a read is due once the holds are released
  bool going_away_ = false;   // GOAWAY received or sent: no new streams
  bool closing_ = false;      // close the transport once the queue is written
  bool closed_ = false;
};

}  // namespace aks::fake_apiserver
