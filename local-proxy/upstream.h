#pragma once
// The API server as the proxy reaches it: address, Host header, TLS identity
// and a client TLS context verified against the kubeconfig's CA.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <ostream>
#include <string>
#include <vector>

#include "kubeconfig/kubeconfig.h"

namespace aks::proxy {

struct Upstream {
    std::string host;         // from the server URL, IPv6 without brackets
    std::string port;
    std::string host_header;  // host[:port] as clients of the server URL send it
    std::string verify_name;  // tls-server-name, else host
    std::string sni;          // verify_name unless it is an IP literal
    std::string path_prefix;  // server URL path ("" or "/prefix"), prepended to targets
    bool tls_enabled = true;  // false only for an http:// Headlamp upstream
    bool http2 = true;        // offer h2 by ALPN (--upstream-http1: never)
    boost::asio::ssl::context tls{boost::asio::ssl::context::tls_client};
    std::vector<boost::asio::ip::tcp::endpoint> endpoints;
};

// Throws UsageError: not an https URL, unreadable/invalid CA. Warns on `warn`
// for insecure-skip-tls-verify and an ignored proxy-url. Resolves the host
// (TransportError when it cannot be resolved).
void configure_upstream(Upstream& up, const kubeconfig::Cluster& cluster, std::ostream& warn);

// Headlamp mode's --upstream: http:// (a port-forward) or https:// (an
// ingress, verified against the system CA store and the URL's host name).
// Request paths go upstream unchanged, so a Headlamp --base-url prefix works
// as is; the URL's path is returned (without a trailing '/', "" for none) as
// the place the launch redirects to. Throws UsageError for any other URL,
// TransportError when the host cannot be resolved.
std::string configure_web_upstream(Upstream& up, const std::string& url);

}  // namespace aks::proxy
