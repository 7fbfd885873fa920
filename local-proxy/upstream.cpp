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

}  // namespace

void configure_upstream(Upstream& up, const kubeconfig::Cluster& cluster, std::ostream& warn) {
    const std::optional<Url> url = parse_url(cluster.server);
    if (!url || url->scheme != "https")
        throw UsageError("cluster '" + cluster.name + "': server '" + cluster.server + "' is not an https:// URL");
    up.host = url->host;
    up.port = std::to_string(url->port);
    const bool v6 = up.host.find(':') != std::string::npos;
    up.host_header = (v6 ? "[" + up.host + "]" : up.host) + (url->port == 443 ? "" : ":" + up.port);
    up.path_prefix = url->path;
    if (const auto q = up.path_prefix.find('?'); q != std::string::npos) up.path_prefix.resize(q);
    while (!up.path_prefix.empty() && up.path_prefix.back() == '/') up.path_prefix.pop_back();
    up.verify_name = cluster.tls_server_name.empty() ? up.host : cluster.tls_server_name;
    up.sni = is_ip_literal(up.verify_name) ? "" : up.verify_name;

    SSL_CTX_set_min_proto_version(up.tls.native_handle(), TLS1_2_VERSION);
    // Idle watches hold a connection each: let OpenSSL free its buffers between reads.
    SSL_CTX_set_mode(up.tls.native_handle(), SSL_MODE_RELEASE_BUFFERS);
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

    net::io_context ioc;
    net::ip::tcp::resolver resolver(ioc);
    boost::system::error_code ec;
    auto results = resolver.resolve(up.host, up.port, ec);
    if (ec) throw TransportError("cannot resolve API server host '" + up.host + "': " + ec.message());
    for (const auto& r : results) up.endpoints.push_back(r.endpoint());
}

}  // namespace aks::proxy
