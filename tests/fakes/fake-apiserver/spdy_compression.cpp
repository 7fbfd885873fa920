#include "tests/fakes/fake-apiserver/spdy_compression.h"

#include "tests/fakes/fake-apiserver/spdy_dictionary.h"

namespace aks::fake_apiserver::spdy {
namespace {

Bytef* bytes(const char* p) { return reinterpret_cast<Bytef*>(const_cast<char*>(p)); }

const Bytef* dictionary_bytes() {
  return reinterpret_cast<const Bytef*>(header_dictionary().data());
}

}  // namespace

HeaderInflater::HeaderInflater(std::size_t limit) : limit_(limit) {
  if (inflateInit(&z_) != Z_OK) throw std::runtime_error("inflateInit failed");
}

HeaderInflater::~HeaderInflater() { inflateEnd(&z_); }

std::string HeaderInflater::inflate(std::string_view compressed) {
  std::string out;
  char chunk[4096];
  z_.next_in = bytes(compressed.data());
  z_.avail_in = static_cast<uInt>(compressed.size());
  for (;;) {
    z_.next_out = reinterpret_cast<Bytef*>(chunk);
    z_.avail_out = sizeof chunk;
    int rc = ::inflate(&z_, Z_SYNC_FLUSH);
    if (rc == Z_NEED_DICT) {
      // The first block names the dictionary; a mismatch means the peer's
      // dictionary differs from ours and nothing it sends can be read.
      if (z_.adler != kDictionaryId)
        throw ProtocolError("header block wants an unknown zlib dictionary");
      const auto& d = header_dictionary();
      if (inflateSetDictionary(&z_, dictionary_bytes(), static_cast<uInt>(d.size())) != Z_OK)
        throw ProtocolError("inflateSetDictionary failed");
      continue;
    }
    const std::size_t produced = sizeof chunk - z_.avail_out;
    if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END)
      throw ProtocolError(std::string("header block does not inflate: ") + (z_.msg ? z_.msg : "zlib error"));
    out.append(chunk, produced);
    if (out.size() > limit_) throw ProtocolError("header block too large");
    // Done when zlib has taken all input and had room to spare for output.
    if (z_.avail_in == 0 && z_.avail_out != 0) break;
    if (rc == Z_BUF_ERROR && produced == 0) break;  // no progress possible
  }
  return out;
}

HeaderDeflater::HeaderDeflater() {
  if (deflateInit(&z_, Z_DEFAULT_COMPRESSION) != Z_OK) throw std::runtime_error("deflateInit failed");
  const auto& d = header_dictionary();
  if (deflateSetDictionary(&z_, dictionary_bytes(), static_cast<uInt>(d.size())) != Z_OK)
    throw std::runtime_error("deflateSetDictionary failed");
}

HeaderDeflater::~HeaderDeflater() { deflateEnd(&z_); }

std::string HeaderDeflater::deflate(std::string_view block) {
  std::string out;
  char chunk[4096];
  z_.next_in = bytes(block.data());
  z_.avail_in = static_cast<uInt>(block.size());
  do {
    z_.next_out = reinterpret_cast<Bytef*>(chunk);
    z_.avail_out = sizeof chunk;
    ::deflate(&z_, Z_SYNC_FLUSH);  // cannot fail with a valid stream and room to write
    out.append(chunk, sizeof chunk - z_.avail_out);
  } while (z_.avail_out == 0);
  return out;
}

}  // namespace aks::fake_apiserver::spdy
