// Self-check of the fake's SPDY/3.1 code: the codec against bytes kubectl
// 1.32 really sent (its port-forward SYN_STREAMs) — a wrong dictionary byte
// or a zlib context that does not carry across frames fails here, with a
// clear message, instead of as a hang in an integration test — and the
// session against a scripted client (session_check.cpp).
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "tests/fakes/fake-apiserver/spdy_compression.h"
#include "tests/fakes/fake-apiserver/spdy_dictionary.h"
#include "tests/fakes/fake-apiserver/spdy_framer.h"
#include "tests/fakes/fake-apiserver/selfcheck/check.h"
#include "tests/fakes/fake-apiserver/spdy_header_block.h"

namespace aks::fake_apiserver::selfcheck {
namespace {
int passes = 0;
int failures = 0;
}  // namespace

void check(bool ok, const std::string& what) {
  std::printf("%s: %s\n", ok ? "ok" : "FAIL", what.c_str());
  ++(ok ? passes : failures);
}

std::string unhex(const char* hex) {
  std::string out;
  for (const char* p = hex; p[0] && p[1]; p += 2) out.push_back(static_cast<char>(std::stoi(std::string(p, 2), nullptr, 16)));
  return out;
}

}  // namespace aks::fake_apiserver::selfcheck

using namespace aks::fake_apiserver::spdy;
using namespace aks::fake_apiserver::selfcheck;

namespace {

// Two SYN_STREAM frames of one `kubectl port-forward` connection (error
// stream 1, data stream 3; port 8080, requestid 0), captured from kubectl
// v1.32 by this fake. The second header block continues the first's zlib stream.
const char* const kKubectlFrames =
    "800300010000003e"
    "0000000100000000000078f9e3c6a7c202253a703a2b294a4dcc851625aca9a0808614cb45e01c60616061c0c0c0c059"
    "0489c64c50f2663400000000ffff"
    "8003000100000018"
    "00000003000000000000c2aa19540e2512d60b000000ffff";

void check_dictionary() {
  const std::string& d = header_dictionary();
  check(d.size() == 1423, "dictionary is 1423 bytes");
  const uLong adler = adler32(adler32(0, nullptr, 0), reinterpret_cast<const Bytef*>(d.data()),
                              static_cast<uInt>(d.size()));
  check(adler == kDictionaryId, "dictionary Adler-32 is the DICTID kubectl names");
}

void check_kubectl_frames() {
  const std::string bytes = unhex(kKubectlFrames);
  FrameReader reader;
  HeaderInflater inflater(64 * 1024);
  const char* want_type[] = {"error", "data"};
  const unsigned want_id[] = {1, 3};
  int seen = 0;
  // Fed in awkward pieces, as a socket may deliver them.
  for (std::size_t at = 0; at < bytes.size(); at += 7) {
    reader.append(bytes.data() + at, std::min<std::size_t>(7, bytes.size() - at));
    while (auto f = reader.next()) {
      check(f->control && f->type == FrameType::SynStream, "frame is SYN_STREAM");
      SynStream s = parse_syn_stream(*f);
      check(s.stream_id == want_id[seen], "stream id " + std::to_string(s.stream_id));
      Headers h;
      try {
        h = decode_header_block(inflater.inflate(s.compressed_headers));
      } catch (const std::exception& e) {
        check(false, std::string("header block inflates: ") + e.what());
        return;
      }
      check(header_value(h, "streamtype") == want_type[seen],
            std::string("streamtype ") + header_value(h, "streamtype"));
      check(header_value(h, "port") == "8080", "port 8080");
      check(header_value(h, "requestid") == "0", "requestid 0");
      ++seen;
    }
  }
  check(seen == 2, "both frames read");
}

void check_our_header_blocks() {
  HeaderDeflater deflater;
  HeaderInflater inflater(64 * 1024);
  const Headers one{{"streamtype", "error"}};
  const Headers two{{"a", std::string("x\0y", 3)}, {"b", ""}};
  const std::string first = deflater.deflate(encode_header_block(one));
  check(first.size() > 6 && first.substr(2, 4) == unhex("e3c6a7c2"), "our zlib header names the dictionary");
  check(first.size() >= 4 && first.substr(first.size() - 4) == unhex("0000ffff"), "block ends in a sync flush");
  const std::string second = deflater.deflate(encode_header_block(two));
  check(decode_header_block(inflater.inflate(first)) == one, "our first block round-trips");
  check(decode_header_block(inflater.inflate(second)) == two, "our second block continues the stream");
}

void check_frames() {
  FrameReader reader;
  const std::string bytes = data_frame(5, "hello", true) + rst_stream_frame(7, RstStatus::Cancel) +
                            window_update_frame(0, 4096) + ping_frame(9);
  reader.append(bytes.data(), bytes.size());
  auto data = reader.next();
  check(data && !data->control && data->stream_id == 5 && data->flags == kFlagFin && data->payload == "hello",
        "DATA frame");
  auto rst = reader.next();
  check(rst && rst->type == FrameType::RstStream && parse_stream_id(*rst) == 7 && parse_second_word(*rst) == 5,
        "RST_STREAM frame");
  auto wu = reader.next();
  check(wu && wu->type == FrameType::WindowUpdate && parse_stream_id(*wu) == 0 && parse_second_word(*wu) == 4096,
        "WINDOW_UPDATE frame");
  auto ping = reader.next();
  check(ping && ping->type == FrameType::Ping && parse_ping_id(*ping) == 9, "PING frame");
  check(!reader.next() && reader.buffered() == 0, "nothing left over");
}

}  // namespace

int main() {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // in order with the session's log lines on stderr
  check_dictionary();
  check_kubectl_frames();
  check_our_header_blocks();
  check_frames();
  check_session();
  std::printf("%d passed, %d failed\n", passes, failures);
  return failures == 0 ? 0 : 1;
}
