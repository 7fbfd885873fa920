#include "local-proxy/upstream.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>

#include <openssl/ssl.h>

#include "core/errors.h"
#include "core/url.h"

namespace aks::proxy {
namespace {

namespace net = boost::asio;

bool is_ip_literal(const std::string& host) {
    boost::system::error_code ec;
    net::ip::make_address(host, ec);
    return !ec;
}

void resolve_endpoints(Upstream& up, const char* what) {
    net::io_context ioc;
    net::ip::tcp::resolver resolver(ioc);
    boost::system::error_code ec;
    auto results = resolver.resolve(up.host, up.port, ec);
    if (ec) throw TransportError(std::string("cannot resolve ") + what + " host '" + up.host + "': " + ec.message());
    for (const auto& r : results) up.endpoints.push_back(r.endpoint());
}

void set_host_fields(Upstream& up, const Url& url, int default_port) {
    up.host = url.host;
    up.port = std::to_string(url.port);
    const bool v6 = up.host.find(':') != std::string::npos;
    up.host_header = (v6 ? "[" + up.host + "]" : up.host) + (url.port == default_port ? "" : ":" + up.port);
}

}  // namespace

std::string configure_web_upstream(Upstream& up, const std::string& text) {
    const std::optional<Url> url = parse_url(text);
    if (!url || (url->scheme != "https" && url->scheme != "http") || url->host.empty())
        throw UsageError("--upstream '" + text + "' is not an http:// or https:// URL");
    if (url->path.find('?') != std::string::npos || url->path.find('#') != std::string::npos)
        throw UsageError("--upstream '" + text + "' must not have a query or fragment");
    up.tls_enabled = url->scheme == "https";
    set_host_fields(up, *url, up.tls_enabled ? 443 : 80);
    up.path_prefix.clear();  // the browser's paths already carry Headlamp's base URL
    up.verify_name = up.host;
    up.sni = is_ip_literal(up.host) ? "" : up.host;
    if (up.tls_enabled) {
        SSL_CTX_set_min_proto_version(up.tls.native_handle(), TLS1_2_VERSION);
        up.tls.set_default_verify_paths();
        up.tls.set_verify_mode(net::ssl::verify_peer);
        up.tls.set_verify_callback(net::ssl::host_name_verification(up.verify_name));
    }
    resolve_endpoints(up, "--upstream");
    std::string base = url->path;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base;
}

void configure_upstream(Upstream& up, const kubeconfig::Cluster& cluster, std::ostream& warn) {
    const std::optional<Url> url = parse_url(cluster.server);
    if (!url || url->scheme != "https")
        throw UsageError("cluster '" + cluster.name + "': server '" + cluster.server + "' is not an https:// URL");
    set_host_fields(up, *url, 443);
    up.path_prefix = url->path;
    if (const auto q = up.path_prefix.find('?'); q != std::string::npos) up.path_prefix.resize(q);
    while (!up.path_prefix.empty() && up.path_prefix.back() == '/') up.path_prefix.pop_back();
    up.verify_name = cluster.tls_server_name.empty() ? up.host : cluster.tls_server_name;
    up.sni = is_ip_literal(up.verify_name) ? "" : up.verify_name;

    SSL_CTX_set_min_proto_version(up.tls.native_handle(), TLS1_2_VERSION);
    if (cluster.insecure_skip_tls_verify) {
        warn << "aks-proxy: warning: cluster '" << cluster.name
             << "' sets insecure-skip-tls-verify: the API server's certificate is NOT verified\n";
        up.tls.set_verify_mode(net::ssl::verify_none);
    } else {
        boost::system::error_code ec;
        if (!cluster.certificate_authority_data.empty()) {
            up.tls.add_certificate_authority(net::buffer(cluster.certificate_authority_data), ec);
            if (ec)
                throw UsageError("cluster '" + cluster.name +
                                 "': certificate-authority-data is not a PEM certificate: " + ec.message());
        } else if (!cluster.certificate_authority.empty()) {
            up.tls.load_verify_file(cluster.certificate_authority, ec);
            if (ec)
                throw UsageError("cluster '" + cluster.name + "': cannot load certificate-authority '" +
                                 cluster.certificate_authority + "': " + ec.message());
        } else {
            up.tls.set_default_verify_paths();
        }
        up.tls.set_verify_mode(net::ssl::verify_peer);
        up.tls.set_verify_callback(net::ssl::host_name_verification(up.verify_name));
    }
    if (!cluster.proxy_url.empty())
        warn << "aks-proxy: warning: cluster '" << cluster.name << "' sets proxy-url, which aks-proxy ignores\n";

    resolve_endpoints(up, "API server");
}

}  // namespace aks::proxy
