#include "local-proxy/launch_host.h"

#include <openssl/rand.h>

#include <stdexcept>

#include "local-proxy/request_filter.h"

namespace aks::proxy {

std::string random_launch_host() {
    unsigned char b[8];
    if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("no random bytes for the launch host name");
    static const char kHex[] = "0123456789abcdef";
    std::string host = "aks-";
    for (const unsigned char c : b) {
        host += kHex[c >> 4];
        host += kHex[c & 15];
    }
    return host + ".localhost";
}

std::string accept_hosts_for(const std::string& accept_hosts, const std::string& host) {
    if (accept_hosts != kDefaultAcceptHosts) return accept_hosts;
    std::string escaped;
    for (const char c : host) {
        if (c == '.') escaped += '\\';
        escaped += c;
    }
    return "^" + escaped + "$";
}

}  // namespace aks::proxy
