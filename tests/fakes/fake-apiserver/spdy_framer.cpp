#include "tests/fakes/fake-apiserver/spdy_framer.h"

#include "tests/fakes/fake-apiserver/spdy_compression.h"

namespace aks::fake_apiserver::spdy {
namespace {

std::uint32_t read32(std::string_view s, std::size_t at) {
  auto b = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i])); };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

void put32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

void need(const Frame& f, std::size_t n) {
  if (f.payload.size() < n) throw ProtocolError(std::string(frame_name(f)) + " frame too short");
}

// Control frame header: C bit, version, type, then flags and a 24-bit length.
std::string control_frame(FrameType type, std::uint8_t flags, std::string_view payload) {
  std::string out;
  out.reserve(8 + payload.size());
  put32(out, 0x80000000u | std::uint32_t{kVersion} << 16 | static_cast<std::uint16_t>(type));
  put32(out, std::uint32_t{flags} << 24 | static_cast<std::uint32_t>(payload.size()));
  out.append(payload);
  return out;
}

}  // namespace

void FrameReader::append(const char* data, std::size_t n) {
  if (pos_ > 0 && pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  }
  buf_.append(data, n);
}

std::optional<Frame> FrameReader::next() {
  std::string_view rest(buf_.data() + pos_, buf_.size() - pos_);
  if (rest.size() < 8) return std::nullopt;
  const std::uint32_t first = read32(rest, 0);
  const std::uint32_t second = read32(rest, 4);
  const std::size_t length = second & 0xffffff;
  if (rest.size() < 8 + length) return std::nullopt;
  Frame f;
  f.control = (first & 0x80000000u) != 0;
  f.flags = static_cast<std::uint8_t>(second >> 24);
  if (f.control) {
    if (((first >> 16) & 0x7fff) != kVersion) throw ProtocolError("not a SPDY/3 frame");
    f.type = static_cast<FrameType>(first & 0xffff);
  } else {
    f.stream_id = first & 0x7fffffff;
  }
  f.payload.assign(rest.data() + 8, length);
  pos_ += 8 + length;
  // Drop what was consumed once it is most of the buffer, so it never grows without bound.
  if (pos_ > 64 * 1024 && pos_ * 2 > buf_.size()) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  return f;
}

SynStream parse_syn_stream(const Frame& f) {
  // stream id, associated stream id, priority/unused/slot, header block
  need(f, 10);
  return SynStream{read32(f.payload, 0) & 0x7fffffff, f.payload.substr(10)};
}

std::uint32_t parse_stream_id(const Frame& f) {
  need(f, 4);
  return read32(f.payload, 0) & 0x7fffffff;
}

std::uint32_t parse_second_word(const Frame& f) {
  need(f, 8);
  return read32(f.payload, 4) & 0x7fffffff;
}

std::uint32_t parse_ping_id(const Frame& f) {
  need(f, 4);
  return read32(f.payload, 0);
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> parse_settings(const Frame& f) {
  need(f, 4);
  const std::uint32_t count = read32(f.payload, 0);
  if (count > (f.payload.size() - 4) / 8) throw ProtocolError("SETTINGS frame too short");
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::size_t at = 4 + 8 * static_cast<std::size_t>(i);
    out.emplace_back(read32(f.payload, at) & 0xffffff, read32(f.payload, at + 4));  // flags, id; value
  }
  return out;
}

std::string data_frame(std::uint32_t stream_id, std::string_view data, bool fin) {
  std::string out;
  out.reserve(8 + data.size());
  put32(out, stream_id & 0x7fffffff);
  put32(out, std::uint32_t{fin ? kFlagFin : std::uint8_t{0}} << 24 | static_cast<std::uint32_t>(data.size()));
  out.append(data);
  return out;
}

std::string syn_reply_frame(std::uint32_t stream_id, std::string_view compressed_headers, bool fin) {
  std::string payload;
  put32(payload, stream_id & 0x7fffffff);
  payload.append(compressed_headers);
  return control_frame(FrameType::SynReply, fin ? kFlagFin : 0, payload);
}

std::string rst_stream_frame(std::uint32_t stream_id, RstStatus status) {
  std::string payload;
  put32(payload, stream_id & 0x7fffffff);
  put32(payload, static_cast<std::uint32_t>(status));
  return control_frame(FrameType::RstStream, 0, payload);
}

std::string ping_frame(std::uint32_t id) {
  std::string payload;
  put32(payload, id);
  return control_frame(FrameType::Ping, 0, payload);
}

std::string window_update_frame(std::uint32_t stream_id, std::uint32_t delta) {
  std::string payload;
  put32(payload, stream_id & 0x7fffffff);
  put32(payload, delta & 0x7fffffff);
  return control_frame(FrameType::WindowUpdate, 0, payload);
}

std::string goaway_frame(std::uint32_t last_good_stream_id, std::uint32_t status) {
  std::string payload;
  put32(payload, last_good_stream_id & 0x7fffffff);
  put32(payload, status);
  return control_frame(FrameType::GoAway, 0, payload);
}

const char* frame_name(const Frame& f) {
  if (!f.control) return "DATA";
  switch (f.type) {
    case FrameType::SynStream: return "SYN_STREAM";
    case FrameType::SynReply: return "SYN_REPLY";
    case FrameType::RstStream: return "RST_STREAM";
    case FrameType::Settings: return "SETTINGS";
    case FrameType::Ping: return "PING";
    case FrameType::GoAway: return "GOAWAY";
    case FrameType::Headers: return "HEADERS";
    case FrameType::WindowUpdate: return "WINDOW_UPDATE";
  }
  return "unknown control";
}

}  // namespace aks::fake_apiserver::spdy
