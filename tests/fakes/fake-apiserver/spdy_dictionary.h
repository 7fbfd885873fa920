#pragma once
// The SPDY/3 header-compression dictionary (SPDY draft 3, 2.6.10.1). Both
// directions prime zlib with it; the peer names it in its zlib header by
// Adler-32, so a single wrong byte makes every header block unreadable.
#include <cstdint>
#include <string>

namespace aks::fake_apiserver::spdy {

const std::string& header_dictionary();

// Adler-32 of the dictionary: the DICTID that kubectl's header blocks carry.
constexpr std::uint32_t kDictionaryId = 0xe3c6a7c2;

}  // namespace aks::fake_apiserver::spdy
