#pragma once
// Which user owns the socket at the other end of a TCP connection on this
// host. Anyone on the machine can connect to a loopback port, or listen on
// one, so the proxy serves only clients whose socket is owned by its own uid
// (or root), and sends the token only to a plain-HTTP upstream served by them.
//
// The kernel answers by NETLINK_SOCK_DIAG (man 7 sock_diag): an
// inet_diag_req_v2 naming the exact 4-tuple gets one inet_diag_msg whose
// idiag_uid is the socket's owner; an accepted socket carries its
// listener's uid. When netlink fails, /proc/net/tcp and /proc/net/tcp6 have
// the same uid column. Parsers are pure (table-tested, fuzzed); the I/O is
// find_socket*.
#include <sys/socket.h>
#include <sys/types.h>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aks::proxy {

// An IPv4 or IPv6 address and port. IPv4-mapped IPv6 addresses
// (::ffff:127.0.0.1) are kept as IPv4: the kernel finds such a socket by its
// IPv4 address.
struct SockAddr {
    int family = 0;                       // AF_INET or AF_INET6
    std::array<std::uint8_t, 16> addr{};  // network order; IPv4 uses the first 4 bytes
    std::uint16_t port = 0;               // host order
    bool operator==(const SockAddr& o) const { return family == o.family && addr == o.addr && port == o.port; }
    bool operator!=(const SockAddr& o) const { return !(*this == o); }
};

std::optional<SockAddr> sock_addr(const sockaddr* sa, socklen_t len);
std::optional<SockAddr> parse_sock_addr(std::string_view ip, std::uint16_t port);  // "127.0.0.1", "::1"
bool is_loopback(const SockAddr& a);
std::string to_string(const SockAddr& a);  // "127.0.0.1:8080", "[::1]:8080"

// One socket as the kernel describes it (inet_diag_msg, or a /proc/net/tcp line).
struct SocketInfo {
    SockAddr local, remote;
    std::uint32_t uid = 0;
    std::uint64_t inode = 0;  // 0: no file holds the socket (closing, not accepted yet, time-wait)
    int state = 0;            // TCP_ESTABLISHED, TCP_LISTEN, ...
};

// Whether `uid` names the owner. The kernel reports uid 0 with inode 0 for
// sockets that have no owner of their own (time-wait and request sockets),
// so that pair is "unknown", never root.
bool owner_known(const SocketInfo& s);

// --- NETLINK_SOCK_DIAG ---------------------------------------------------
// The request for the socket whose own address is `local` and whose peer is
// `remote` (a zero `remote` finds the listener on `local`).
std::vector<std::uint8_t> diag_request(const SockAddr& local, const SockAddr& remote, std::uint32_t seq);

struct DiagAnswer {
    std::optional<SocketInfo> socket;  // found
    int error = 0;                     // else the kernel's errno (ENOENT: no such socket, or no tcp_diag)
};
// One datagram from the kernel; nullopt when it holds no answer to `seq`
// (truncated, malformed, another sequence number).
std::optional<DiagAnswer> parse_diag_reply(const std::uint8_t* data, std::size_t size, std::uint32_t seq);
// An inet_diag_msg reply for `s` (tests and the fuzz target build replies with it).
std::vector<std::uint8_t> diag_reply(const SocketInfo& s, std::uint32_t seq);

// --- /proc/net/tcp, /proc/net/tcp6 -----------------------------------------
// One line ("  0: 0100007F:1F90 00000000:0000 0A ... uid timeout inode ...");
// nullopt for the header line or anything malformed.
std::optional<SocketInfo> parse_proc_tcp_line(std::string_view line);
// The line for that socket, as the netlink query would find it.
std::optional<SocketInfo> find_in_proc_tcp(std::string_view text, const SockAddr& local, const SockAddr& remote);
std::string proc_tcp_line(const SocketInfo& s);  // the kernel's format, for tests and the fuzz target

// --- lookups (I/O) ---------------------------------------------------------
struct Lookup {
    enum class Result { Found, NotFound, Failed } result = Result::Failed;
    SocketInfo socket;  // Found
    std::string error;  // Failed: why, one line
    bool no_descriptors = false;  // Failed for want of a descriptor (EMFILE, ENFILE)
};
Lookup find_socket_netlink(const SockAddr& local, const SockAddr& remote);
Lookup find_socket_proc(const SockAddr& local, const SockAddr& remote);
// Netlink, then /proc when netlink failed or found nothing (its ENOENT also
// means "tcp_diag is not loaded").
Lookup find_socket(const SockAddr& local, const SockAddr& remote);

// --- the rule ----------------------------------------------------------------
struct PeerVerdict {
    enum class Kind {
        Allowed,  // owned by `me` or root
        Remote,   // not a socket of this host: another machine (only with a non-loopback address)
        Refused,  // owned by `uid`
        Unknown,  // a local peer whose owner cannot be told: `why`
    } kind = Kind::Unknown;
    SockAddr peer;
    std::uint32_t uid = 0;
    std::string why;
    bool lookup_failed = false;   // Unknown because neither netlink nor /proc answered
    bool no_descriptors = false;  // ... because the process is out of descriptors
    bool ok() const { return kind == Kind::Allowed || kind == Kind::Remote; }
};
using SocketFinder = std::function<Lookup(const SockAddr& local, const SockAddr& remote)>;

// Whose is the peer of the connection from `local` to `peer`? `peer_listens`:
// we connected to it (an upstream), so its listener speaks for it while the
// accepted socket does not yet have a known owner.
PeerVerdict check_peer(const SockAddr& local, const SockAddr& peer, std::uint32_t me, bool peer_listens,
                       const SocketFinder& find = find_socket);
// The same for a connected TCP socket (getsockname/getpeername), as geteuid().
PeerVerdict check_peer_of(int fd, bool peer_listens);

}  // namespace aks::proxy
