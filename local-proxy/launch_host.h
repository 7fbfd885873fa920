#pragma once
// Where Headlamp mode listens. Browsers send a host's cookies to every port
// of that host, so with the launch cookie set for 127.0.0.1, any other server
// on 127.0.0.1 the browser visits (another user's included) would receive
// the launch secret. Unless --address is given, Headlamp mode listens on an
// address of its own, 127.a.b.c chosen at random per run (all of 127/8 is
// loopback on Linux): the cookie, set for that host only, goes nowhere else.
#include <string>

namespace aks::proxy {

// "127.a.b.c" with (a, b) != (0, 0) and c in 1..254, from OpenSSL's CSPRNG.
std::string random_loopback_address();

// The --accept-hosts value to use: the default list plus `address` when the
// user kept the default; the user's own list as it is otherwise.
std::string accept_hosts_for(const std::string& accept_hosts, const std::string& address);

}  // namespace aks::proxy
