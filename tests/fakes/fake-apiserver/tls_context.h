#pragma once
// Server TLS settings: TLS 1.2+, our certificate, ALPN http/1.1 only.
#include <boost/asio/ssl/context.hpp>

#include <string>

namespace aks::fake_apiserver {

// Throws std::runtime_error naming the file that could not be loaded.
boost::asio::ssl::context make_server_tls_context(const std::string& cert_file,
                                                  const std::string& key_file);

}  // namespace aks::fake_apiserver
