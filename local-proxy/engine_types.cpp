#include "local-proxy/engine_types.h"

#include <boost/asio/ssl/error.hpp>

#include <iostream>

namespace aks::proxy {

void note_failure(const ProxyContext& ctx, const beast::error_code& ec, const char* what) {
    if (!ctx.verbose || !ec) return;
    if (ec == net::error::operation_aborted || ec == net::error::eof || ec == net::ssl::error::stream_truncated ||
        ec == http::error::end_of_stream)
        return;
    // Error texts come from the OS, OpenSSL or Beast and carry no request data.
    std::cerr << "aks-proxy: " << what << ": " << ec.message() << '\n' << std::flush;
}

}  // namespace aks::proxy
