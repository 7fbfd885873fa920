#include "local-proxy/launch_host.h"

#include <openssl/rand.h>

#include <stdexcept>

#include "local-proxy/request_filter.h"

namespace aks::proxy {

std::string random_loopback_address() {
    unsigned char b[3];
    if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("no random bytes for the listen address");
    if (b[0] == 0 && b[1] == 0) b[1] = 1;  // keep clear of 127.0.0.x, where other local servers live
    const int c = 1 + b[2] % 254;
    return "127." + std::to_string(b[0]) + "." + std::to_string(b[1]) + "." + std::to_string(c);
}

std::string accept_hosts_for(const std::string& accept_hosts, const std::string& address) {
    if (accept_hosts != kDefaultAcceptHosts) return accept_hosts;
    std::string escaped;
    for (const char c : address) {
        if (c == '.') escaped += '\\';
        escaped += c;
    }
    return accept_hosts + ",^" + escaped + "$";
}

}  // namespace aks::proxy
