#pragma once
// What Headlamp mode (--upstream / --headlamp-service) knows about the
// Headlamp it serves, fixed at start-up and shared by every connection.
#include <string>

namespace aks::proxy {

// Every answer from Headlamp goes to the browser with this policy: the
// launch host name is this run's secret-ish name, and no other site needs
// it in Referer (Headlamp links to docs and plugin sites).
constexpr const char* kReferrerPolicyField = "Referrer-Policy";
constexpr const char* kReferrerPolicyFieldH2 = "referrer-policy";  // HTTP/2 names are lowercase
constexpr const char* kNoReferrer = "no-referrer";

struct HeadlampMode {
    // The cluster as it appears in Headlamp's URLs (/c/<cluster>/...,
    // /clusters/<cluster>/...): --headlamp-cluster.
    std::string cluster;
    // The name Headlamp's token cookies carry (sanitize_headlamp_cluster).
    std::string cookie_cluster;
    // Headlamp's base path as the browser sees it, with a trailing '/':
    // "/" or "/headlamp/".
    std::string base = "/";
    // --headlamp-service: the API server's service proxy is in between; it
    // checks Authorization and removes it before Headlamp sees the request.
    bool via_service_proxy = false;
    // What to run when there is no token ("aks-token login --context X").
    std::string login_command;
    // The kubeconfig context aks-proxy serves.
    std::string context;
};

}  // namespace aks::proxy
