#pragma once
// SPDY/3.1 framing (SPDY draft 3.1, section 2.2): splitting a byte stream into
// frames, reading the control frames a server receives and writing the ones
// it sends. Header blocks travel compressed (spdy_compression.h).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aks::fake_apiserver::spdy {

constexpr std::uint16_t kVersion = 3;

enum class FrameType : std::uint16_t {
  SynStream = 1,
  SynReply = 2,
  RstStream = 3,
  Settings = 4,
  Ping = 6,
  GoAway = 7,
  Headers = 8,
  WindowUpdate = 9,
};

constexpr std::uint8_t kFlagFin = 0x01;          // DATA, SYN_STREAM, SYN_REPLY, HEADERS
constexpr std::uint8_t kFlagUnidirectional = 0x02;  // SYN_STREAM

// RST_STREAM status codes.
enum class RstStatus : std::uint32_t {
  ProtocolError = 1,
  InvalidStream = 2,
  RefusedStream = 3,
  Cancel = 5,
  FlowControlError = 7,
  StreamAlreadyClosed = 9,
};

constexpr std::uint32_t kSettingsInitialWindowSize = 7;
constexpr std::uint32_t kInitialWindow = 64 * 1024;  // stream and session windows at the start
constexpr std::uint32_t kMaxFrameLength = (1u << 24) - 1;

struct Frame {
  bool control = false;
  FrameType type{};              // control frames
  std::uint32_t stream_id = 0;   // data frames
  std::uint8_t flags = 0;
  std::string payload;
};

// Cuts frames out of the bytes of a connection as they arrive.
class FrameReader {
 public:
  void append(const char* data, std::size_t n);
  // The next whole frame, if one has arrived. Throws ProtocolError on a
  // control frame of another SPDY version.
  std::optional<Frame> next();
  std::size_t buffered() const { return buf_.size() - pos_; }

 private:
  std::string buf_;
  std::size_t pos_ = 0;
};

struct SynStream {
  std::uint32_t stream_id = 0;
  std::string compressed_headers;
};

// Control frame payloads. Each throws ProtocolError when the payload is short.
SynStream parse_syn_stream(const Frame& f);
std::uint32_t parse_stream_id(const Frame& f);  // RST_STREAM, HEADERS, WINDOW_UPDATE
std::uint32_t parse_second_word(const Frame& f);  // RST_STREAM status, WINDOW_UPDATE delta
std::uint32_t parse_ping_id(const Frame& f);
std::vector<std::pair<std::uint32_t, std::uint32_t>> parse_settings(const Frame& f);  // id, value

// Frames the server writes.
std::string data_frame(std::uint32_t stream_id, std::string_view data, bool fin);
std::string syn_reply_frame(std::uint32_t stream_id, std::string_view compressed_headers, bool fin);
std::string rst_stream_frame(std::uint32_t stream_id, RstStatus status);
std::string ping_frame(std::uint32_t id);
std::string window_update_frame(std::uint32_t stream_id, std::uint32_t delta);
std::string goaway_frame(std::uint32_t last_good_stream_id, std::uint32_t status);

// Frame type names for log lines.
const char* frame_name(const Frame& f);

}  // namespace aks::fake_apiserver::spdy
