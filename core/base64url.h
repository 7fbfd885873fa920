#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace aks {

// Unpadded base64url (RFC 4648 §5), as used by JWTs and PKCE.
std::string base64url_encode(std::string_view bytes);
// Accepts padded or unpadded input; nullopt on any invalid character.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace aks
