// The socket-owner parsers (local-proxy/peer_owner.h) on hostile bytes: the
// input is read both as a NETLINK_SOCK_DIAG answer and as /proc/net/tcp
// text. Properties: whatever either parser accepts is an IPv4 or IPv6 socket
// (IPv4-mapped addresses already made IPv4), and it round-trips: written back
// in either format (diag_reply, proc_tcp_line) and parsed again it is the same
// socket — addresses, ports, uid, state, inode (netlink carries 32 bits of it).
#include <sys/socket.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "local-proxy/peer_owner.h"

namespace {

using aks::proxy::SockAddr;
using aks::proxy::SocketInfo;

void require(bool ok) {
    if (!ok) std::abort();
}

void check_addr(const SockAddr& a) {
    require(a.family == AF_INET || a.family == AF_INET6);
    if (a.family == AF_INET) {
        for (std::size_t i = 4; i < a.addr.size(); ++i) require(a.addr[i] == 0);
    } else {
        static const std::uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        require(std::memcmp(a.addr.data(), mapped, 12) != 0);
    }
}

bool same(const SocketInfo& a, const SocketInfo& b, bool inode32) {
    const std::uint64_t mask = inode32 ? 0xffffffffu : ~std::uint64_t{0};
    return a.local == b.local && a.remote == b.remote && a.uid == b.uid && a.state == b.state &&
           (a.inode & mask) == (b.inode & mask);
}

void round_trip(const SocketInfo& s) {
    check_addr(s.local);
    check_addr(s.remote);
    require(s.state >= 0 && s.state <= 255);
    // Netlink keeps one family for both ends: only such sockets go through it.
    if (s.local.family == s.remote.family) {
        const auto bytes = aks::proxy::diag_reply(s, 42);
        const auto back = aks::proxy::parse_diag_reply(bytes.data(), bytes.size(), 42);
        require(back && back->socket && same(*back->socket, s, true));
    }
    const auto line = aks::proxy::parse_proc_tcp_line(aks::proxy::proc_tcp_line(s));
    require(line && same(*line, s, false));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::uint32_t seq = 0;
    if (size >= 12) std::memcpy(&seq, data + 8, 4);  // nlmsghdr.nlmsg_seq of the first message
    if (const auto a = aks::proxy::parse_diag_reply(data, size, seq)) {
        if (a->socket) round_trip(*a->socket);
        else require(a->error > 0);
    }
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        if (const auto s = aks::proxy::parse_proc_tcp_line(text.substr(pos, end - pos))) round_trip(*s);
        pos = end + 1;
    }
    return 0;
}
