#include "core/redirect_url.h"

#include "core/errors.h"
#include "core/url.h"

namespace aks {

void check_redirect_url(const std::string& redirect_url) {
    const auto u = parse_url(redirect_url);
    if (!u || u->scheme != "http" || (u->host != "localhost" && u->host != "127.0.0.1" && u->host != "::1"))
        throw UsageError("--redirect-url must be an http URL on localhost, 127.0.0.1 or [::1], not " + redirect_url);
    const std::string authority = redirect_url.substr(7, redirect_url.find('/', 7) - 7);
    if (authority.empty() || authority.back() == ']' || authority.find(':') == std::string::npos ||
        (u->host == "::1" && authority.find("]:") == std::string::npos))
        throw UsageError("--redirect-url needs a port, e.g. http://localhost:8400/");
}

}  // namespace aks
