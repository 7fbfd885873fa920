#pragma once
// Base64url without padding (RFC 7515 §2), as used by JWT and JWK.
#include <optional>
#include <string>
#include <string_view>

namespace aks::fake_apiserver {

// Bytes encoded by `text`, or nullopt if it is not valid unpadded base64url.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace aks::fake_apiserver
