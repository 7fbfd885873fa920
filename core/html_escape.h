#pragma once
// Text for an HTML page or attribute value: & < > " ' escaped. Shared by the
// small pages aks-token's loopback listener and aks-proxy answer with.
#include <string>
#include <string_view>

namespace aks {

std::string html_escape(std::string_view s);

}  // namespace aks
