#pragma once
// Server TLS settings: TLS 1.2+, our certificate, ALPN http/1.1 (and h2
// once offer_http2 is called).
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <string>

namespace aks::fake_apiserver {

// Throws std::runtime_error naming the file that could not be loaded.
boost::asio::ssl::context make_server_tls_context(const std::string& cert_file,
                                                  const std::string& key_file);

// ALPN selects h2 for clients that offer it while `enabled` is true (read at
// each handshake; it must outlive the context).
void offer_http2(boost::asio::ssl::context& ctx, const std::atomic<bool>& enabled);

}  // namespace aks::fake_apiserver
