#pragma once
// aks-proxy's command line: kubectl proxy's flag names and defaults where they
// exist, plus kubelogin's login flags (as in aks-token get-token) for an
// identity that the context's user entry does not describe.
#include <optional>
#include <string>
#include <vector>

#include "core/cli_doc.h"
#include "local-proxy/request_filter.h"

namespace aks::proxy {

struct ProxyOptions {
    std::string context;                    // "" = current-context
    std::optional<std::string> kubeconfig;  // --kubeconfig
    std::string address = "127.0.0.1";
    bool address_given = false;             // Headlamp mode picks its own loopback address otherwise
    int port = 8001;                        // 0 = any free port; 8000 in Headlamp mode
    bool port_given = false;
    std::string unix_socket;
    FilterSpec filter;
    std::string cache_dir;
    int threads = 0;                        // 0 = number of cores
    bool quiet = false;                     // no access log
    int verbosity = 0;
    int header_timeout_seconds = 15;
    int shutdown_timeout_seconds = 5;
    int max_connections = 0;                // 0 = default (kDefaultMaxConnections, within the open-file limit)
    bool allow_insecure_upstream = false;   // --upstream http:// to a host that is not loopback
    std::string upstream;                   // Headlamp mode: the Headlamp URL ("" = API server mode)
    std::string headlamp_service;           // Headlamp mode via the API server: "NS/NAME:PORT"
    std::string headlamp_cluster = "main";  // whose headlamp-auth cookie carries the token
    bool no_browser = false;                // do not open the launch URL
    bool upstream_http1 = false;            // never HTTP/2 to the upstream
    std::vector<std::string> login_args;    // kubelogin login flags given explicitly (not --cache-dir)
    bool help = false;
    bool version = false;
};

constexpr int kDefaultMaxConnections = 10000;

// Throws UsageError (one line naming the flag) on bad input.
ProxyOptions parse_proxy_options(const std::vector<std::string>& args);
std::string proxy_usage();
// The same flag table as option docs, for the man page and completions.
std::vector<OptionDoc> proxy_option_docs();

// True for "localhost" and loopback IP literals (127.0.0.0/8, ::1): a host
// whose traffic never leaves the machine.
bool is_loopback_host(const std::string& host);

// An http:// --upstream whose host is not loopback: the token would cross the
// network in cleartext. Empty when the upstream is https:// or loopback.
std::string cleartext_upstream_host(const std::string& upstream);

}  // namespace aks::proxy
