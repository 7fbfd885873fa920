#pragma once
// The --redirect-url rule of a browser sign-in, checked where the flag is
// parsed (get-token, convert-kubeconfig) and again by the listener.
#include <string>

namespace aks {

// Throws UsageError unless the URL is http on localhost/127.0.0.1/[::1] with a port.
void check_redirect_url(const std::string& redirect_url);

}  // namespace aks
