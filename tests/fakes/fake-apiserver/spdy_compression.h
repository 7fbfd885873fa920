#pragma once
// SPDY/3 header-block compression: zlib primed with the SPDY dictionary, one
// context per direction per connection. Each header block continues the same
// zlib stream (a block is only readable after the ones before it) and ends
// with a sync flush, so the peer can decode it without waiting for more.
#include <zlib.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace aks::fake_apiserver::spdy {

// A header block we cannot decode: a connection-level protocol error.
struct ProtocolError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class HeaderInflater {
 public:
  explicit HeaderInflater(std::size_t limit);  // most bytes one block may inflate to
  ~HeaderInflater();
  HeaderInflater(const HeaderInflater&) = delete;
  HeaderInflater& operator=(const HeaderInflater&) = delete;

  // The uncompressed header block carried by one frame.
  std::string inflate(std::string_view compressed);

 private:
  z_stream z_{};
  std::size_t limit_;
};

class HeaderDeflater {
 public:
  HeaderDeflater();
  ~HeaderDeflater();
  HeaderDeflater(const HeaderDeflater&) = delete;
  HeaderDeflater& operator=(const HeaderDeflater&) = delete;

  std::string deflate(std::string_view block);

 private:
  z_stream z_{};
};

}  // namespace aks::fake_apiserver::spdy
