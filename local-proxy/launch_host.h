#pragma once
// Where Headlamp mode is reached. Browsers send a host's cookies to every
// port of that host, so a launch cookie set for 127.0.0.1 (or for any
// address, which /proc/net/tcp shows to every user) would go to another
// user's server on another port of it, once the browser visits it. Unless
// --address is given, the launch URL names a host of its own instead,
// aks-<16 hex digits>.localhost, chosen at random per run: browsers resolve
// every *.localhost name to loopback themselves (RFC 6761 §6.3; Chromium
// and curl do, glibc does not), and keep the cookie for that name only, so
// it reaches another server only if that server's URL carries the name,
// which no other user can read or guess.
#include <string>

namespace aks::proxy {

// "aks-<16 lowercase hex digits>.localhost", from OpenSSL's CSPRNG.
std::string random_launch_host();

// The --accept-hosts value to use: `host` alone when the user kept the
// default (a request by 127.0.0.1 or localhost would carry, or set, the
// cookie for a name every local server shares); the user's own list as it is
// otherwise.
std::string accept_hosts_for(const std::string& accept_hosts, const std::string& host);

}  // namespace aks::proxy
