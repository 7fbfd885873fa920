#include "local-proxy/peer_owner.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#ifdef __linux__
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/tcp.h>
#endif

#include "core/unique_fd.h"

namespace aks::proxy {
namespace {

constexpr std::array<std::uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
constexpr int kTcpListen = 10;  // TCP_LISTEN in the kernel's numbering (0A in /proc/net/tcp)

std::size_t addr_size(int family) { return family == AF_INET ? 4 : 16; }

// ::ffff:a.b.c.d becomes a.b.c.d.
SockAddr normalised(SockAddr a) {
    if (a.family == AF_INET6 && std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), a.addr.begin())) {
        std::array<std::uint8_t, 16> v4{};
        std::copy(a.addr.begin() + 12, a.addr.end(), v4.begin());
        a.addr = v4;
        a.family = AF_INET;
    }
    return a;
}

SockAddr from_bytes(int family, const void* bytes, std::uint16_t port) {
    SockAddr a;
    a.family = family;
    std::memcpy(a.addr.data(), bytes, addr_size(family));
    a.port = port;
    return normalised(a);
}

bool is_any(const SockAddr& a) {
    for (std::size_t i = 0; i < addr_size(a.family); ++i)
        if (a.addr[i] != 0) return false;
    return true;
}

bool parse_hex(std::string_view s, std::uint32_t& out) {
    if (s.empty() || s.size() > 8) return false;
    std::uint32_t v = 0;
    for (char c : s) {
        int d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else return false;
        v = v << 4 | static_cast<std::uint32_t>(d);
    }
    out = v;
    return true;
}

bool parse_dec(std::string_view s, std::uint64_t& out, std::uint64_t max) {
    if (s.empty() || s.size() > 20) return false;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        const auto d = static_cast<std::uint64_t>(c - '0');
        if (v > (max - d) / 10) return false;
        v = v * 10 + d;
    }
    out = v;
    return true;
}

// "0100007F:1F90": the kernel prints each 32-bit word of the address as the
// number this machine reads from its network-order bytes, hence memcpy.
std::optional<SockAddr> parse_proc_addr(std::string_view s) {
    const auto colon = s.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const std::string_view hex = s.substr(0, colon);
    std::uint32_t port = 0;
    if (s.size() - colon - 1 != 4 || !parse_hex(s.substr(colon + 1), port)) return std::nullopt;
    if (hex.size() != 8 && hex.size() != 32) return std::nullopt;
    std::array<std::uint8_t, 16> bytes{};
    for (std::size_t w = 0; w < hex.size() / 8; ++w) {
        std::uint32_t word = 0;
        if (!parse_hex(hex.substr(w * 8, 8), word)) return std::nullopt;
        std::memcpy(bytes.data() + w * 4, &word, 4);
    }
    return from_bytes(hex.size() == 8 ? AF_INET : AF_INET6, bytes.data(), static_cast<std::uint16_t>(port));
}

std::string proc_addr(const SockAddr& a) {
    std::string out;
    char word[9];
    for (std::size_t w = 0; w < addr_size(a.family) / 4; ++w) {
        std::uint32_t v;
        std::memcpy(&v, a.addr.data() + w * 4, 4);
        std::snprintf(word, sizeof word, "%08X", v);
        out += word;
    }
    char port[6];
    std::snprintf(port, sizeof port, "%04X", a.port);
    return out + ":" + port;
}

std::optional<std::string> read_file(const char* path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return s.str();
}

Lookup failed(std::string why, int err = 0) {
    Lookup l;
    l.result = Lookup::Result::Failed;
    l.error = std::move(why);
    l.no_descriptors = err == EMFILE || err == ENFILE;
    return l;
}

Lookup found(const SocketInfo& s) {
    Lookup l;
    l.result = Lookup::Result::Found;
    l.socket = s;
    return l;
}

PeerVerdict judge(const SockAddr& peer, std::uint32_t uid, std::uint32_t me) {
    PeerVerdict v;
    v.peer = peer;
    v.uid = uid;
    v.kind = uid == me || uid == 0 ? PeerVerdict::Kind::Allowed : PeerVerdict::Kind::Refused;
    return v;
}

PeerVerdict unknown(const SockAddr& peer, std::string why, bool lookup_failed, bool no_descriptors = false) {
    PeerVerdict v;
    v.peer = peer;
    v.kind = PeerVerdict::Kind::Unknown;
    v.why = std::move(why);
    v.lookup_failed = lookup_failed;
    v.no_descriptors = no_descriptors;
    return v;
}

}  // namespace

std::optional<SockAddr> sock_addr(const sockaddr* sa, socklen_t len) {
    if (sa->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
        sockaddr_in in;
        std::memcpy(&in, sa, sizeof in);
        return from_bytes(AF_INET, &in.sin_addr, ntohs(in.sin_port));
    }
    if (sa->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
        sockaddr_in6 in6;
        std::memcpy(&in6, sa, sizeof in6);
        return from_bytes(AF_INET6, &in6.sin6_addr, ntohs(in6.sin6_port));
    }
    return std::nullopt;
}

std::optional<SockAddr> parse_sock_addr(std::string_view ip, std::uint16_t port) {
    const std::string text(ip);
    std::uint8_t bytes[16];
    if (::inet_pton(AF_INET, text.c_str(), bytes) == 1) return from_bytes(AF_INET, bytes, port);
    if (::inet_pton(AF_INET6, text.c_str(), bytes) == 1) return from_bytes(AF_INET6, bytes, port);
    return std::nullopt;
}

bool is_loopback(const SockAddr& a) {
    if (a.family == AF_INET) return a.addr[0] == 127;
    if (a.family != AF_INET6) return false;
    for (std::size_t i = 0; i < 15; ++i)
        if (a.addr[i] != 0) return false;
    return a.addr[15] == 1;
}

std::string to_string(const SockAddr& a) {
    char text[INET6_ADDRSTRLEN] = {};
    if (a.family != AF_INET && a.family != AF_INET6) return "?";
    ::inet_ntop(a.family, a.addr.data(), text, sizeof text);
    const std::string port = std::to_string(a.port);
    return a.family == AF_INET ? std::string(text) + ":" + port : "[" + std::string(text) + "]:" + port;
}

bool owner_known(const SocketInfo& s) { return !(s.uid == 0 && s.inode == 0); }

// --- NETLINK_SOCK_DIAG ---------------------------------------------------
#ifdef __linux__
namespace {
struct DiagRequest {
    nlmsghdr header;
    inet_diag_req_v2 body;
};
struct DiagMessage {
    nlmsghdr header;
    inet_diag_msg body;
};

SocketInfo socket_info(const inet_diag_msg& m) {
    SocketInfo s;
    s.local = from_bytes(m.idiag_family, m.id.idiag_src, ntohs(m.id.idiag_sport));
    s.remote = from_bytes(m.idiag_family, m.id.idiag_dst, ntohs(m.id.idiag_dport));
    s.uid = m.idiag_uid;
    s.inode = m.idiag_inode;
    s.state = m.idiag_state;
    return s;
}
}  // namespace

std::vector<std::uint8_t> diag_request(const SockAddr& local, const SockAddr& remote, std::uint32_t seq) {
    DiagRequest r{};
    r.header.nlmsg_len = sizeof r;
    r.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    r.header.nlmsg_flags = NLM_F_REQUEST;
    r.header.nlmsg_seq = seq;
    r.body.sdiag_family = static_cast<std::uint8_t>(local.family);
    r.body.sdiag_protocol = IPPROTO_TCP;
    r.body.idiag_states = ~0u;
    r.body.id.idiag_sport = htons(local.port);
    r.body.id.idiag_dport = htons(remote.port);
    std::memcpy(r.body.id.idiag_src, local.addr.data(), addr_size(local.family));
    std::memcpy(r.body.id.idiag_dst, remote.addr.data(), addr_size(local.family));
    r.body.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;  // any socket with this 4-tuple
    r.body.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
    const auto* p = reinterpret_cast<const std::uint8_t*>(&r);
    return std::vector<std::uint8_t>(p, p + sizeof r);
}

std::optional<DiagAnswer> parse_diag_reply(const std::uint8_t* data, std::size_t size, std::uint32_t seq) {
    std::size_t off = 0;
    while (size - off >= sizeof(nlmsghdr)) {
        nlmsghdr h;
        std::memcpy(&h, data + off, sizeof h);
        if (h.nlmsg_len < sizeof h || h.nlmsg_len > size - off) return std::nullopt;
        const std::uint8_t* body = data + off + NLMSG_HDRLEN;
        const std::size_t body_size = h.nlmsg_len >= NLMSG_HDRLEN ? h.nlmsg_len - NLMSG_HDRLEN : 0;
        if (h.nlmsg_seq == seq) {
            if (h.nlmsg_type == NLMSG_ERROR) {
                nlmsgerr e;
                if (body_size < sizeof e) return std::nullopt;
                std::memcpy(&e, body, sizeof e);
                if (e.error != 0) {  // 0 is an acknowledgement; the answer may follow
                    DiagAnswer a;
                    a.error = e.error < 0 && e.error > -4096 ? -e.error : EPROTO;
                    return a;
                }
            } else if (h.nlmsg_type == NLMSG_DONE) {
                DiagAnswer a;
                a.error = ENOENT;
                return a;
            } else if (h.nlmsg_type == SOCK_DIAG_BY_FAMILY) {
                inet_diag_msg m;
                if (body_size < sizeof m) return std::nullopt;
                std::memcpy(&m, body, sizeof m);
                if (m.idiag_family != AF_INET && m.idiag_family != AF_INET6) return std::nullopt;
                DiagAnswer a;
                a.socket = socket_info(m);
                return a;
            }
        }
        const std::size_t step = NLMSG_ALIGN(h.nlmsg_len);
        if (step > size - off) break;
        off += step;
    }
    return std::nullopt;
}

std::vector<std::uint8_t> diag_reply(const SocketInfo& s, std::uint32_t seq) {
    DiagMessage r{};
    r.header.nlmsg_len = sizeof r;
    r.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    r.header.nlmsg_seq = seq;
    r.body.idiag_family = static_cast<std::uint8_t>(s.local.family);
    r.body.idiag_state = static_cast<std::uint8_t>(s.state);
    r.body.id.idiag_sport = htons(s.local.port);
    r.body.id.idiag_dport = htons(s.remote.port);
    std::memcpy(r.body.id.idiag_src, s.local.addr.data(), addr_size(s.local.family));
    std::memcpy(r.body.id.idiag_dst, s.remote.addr.data(), addr_size(s.local.family));
    r.body.idiag_uid = s.uid;
    r.body.idiag_inode = static_cast<std::uint32_t>(s.inode);
    const auto* p = reinterpret_cast<const std::uint8_t*>(&r);
    return std::vector<std::uint8_t>(p, p + sizeof r);
}

Lookup find_socket_netlink(const SockAddr& local, const SockAddr& remote) {
    const UniqueFd fd(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
    if (!fd) {
        const int err = errno;
        return failed(std::string("sock_diag netlink socket: ") + std::strerror(err), err);
    }
    const timeval wait{1, 0};  // the kernel answers within the send; this only bounds a surprise
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    static std::atomic<std::uint32_t> next_seq{1};
    const std::uint32_t seq = next_seq++;
    const std::vector<std::uint8_t> req = diag_request(local, remote, seq);
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(fd.get(), req.data(), req.size(), 0, reinterpret_cast<const sockaddr*>(&kernel), sizeof kernel) !=
        static_cast<ssize_t>(req.size()))
        return failed(std::string("sock_diag query: ") + std::strerror(errno));
    alignas(nlmsghdr) std::uint8_t buf[8192];
    for (int i = 0; i < 8; ++i) {
        sockaddr_nl from{};
        socklen_t from_len = sizeof from;
        const ssize_t n = ::recvfrom(fd.get(), buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return failed(std::string("sock_diag answer: ") + std::strerror(errno));
        if (from.nl_pid != 0) continue;  // only the kernel speaks for sockets
        const auto a = parse_diag_reply(buf, static_cast<std::size_t>(n), seq);
        if (!a) continue;
        if (a->socket) return found(*a->socket);
        if (a->error == ENOENT) return Lookup{Lookup::Result::NotFound, {}, {}};
        return failed(std::string("sock_diag: ") + std::strerror(a->error));
    }
    return failed("sock_diag: no answer");
}
#else
std::vector<std::uint8_t> diag_request(const SockAddr&, const SockAddr&, std::uint32_t) { return {}; }
std::optional<DiagAnswer> parse_diag_reply(const std::uint8_t*, std::size_t, std::uint32_t) { return std::nullopt; }
std::vector<std::uint8_t> diag_reply(const SocketInfo&, std::uint32_t) { return {}; }
Lookup find_socket_netlink(const SockAddr&, const SockAddr&) { return failed("sock_diag exists only on Linux"); }
#endif

// --- /proc/net/tcp ---------------------------------------------------------
std::optional<SocketInfo> parse_proc_tcp_line(std::string_view line) {
    std::string_view f[10];
    std::size_t n = 0, i = 0;
    while (n < 10) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (i >= line.size()) break;
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\n') ++i;
        f[n++] = line.substr(start, i - start);
    }
    if (n < 10 || f[0].size() < 2 || f[0].back() != ':') return std::nullopt;
    SocketInfo s;
    const auto local = parse_proc_addr(f[1]);
    const auto remote = parse_proc_addr(f[2]);
    std::uint32_t state = 0;
    std::uint64_t uid = 0, inode = 0;
    if (!local || !remote || f[3].size() != 2 || !parse_hex(f[3], state) || !parse_dec(f[7], uid, 0xffffffffu) ||
        !parse_dec(f[9], inode, ~std::uint64_t{0}))
        return std::nullopt;
    s.local = *local;
    s.remote = *remote;
    s.state = static_cast<int>(state);
    s.uid = static_cast<std::uint32_t>(uid);
    s.inode = inode;
    return s;
}

std::string proc_tcp_line(const SocketInfo& s) {
    char st[3];
    std::snprintf(st, sizeof st, "%02X", static_cast<unsigned>(s.state & 0xff));
    return "   0: " + proc_addr(s.local) + " " + proc_addr(s.remote) + " " + st +
           " 00000000:00000000 00:00000000 00000000 " + std::to_string(s.uid) + "        0 " +
           std::to_string(s.inode) + " 1 0000000000000000 100 0 0 10 0";
}

std::optional<SocketInfo> find_in_proc_tcp(std::string_view text, const SockAddr& local, const SockAddr& remote) {
    const bool listener = remote.port == 0 && is_any(remote);
    std::optional<SocketInfo> wildcard;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        const auto s = parse_proc_tcp_line(text.substr(pos, end - pos));
        pos = end + 1;
        if (!s) continue;
        if (s->local == local && s->remote == remote) return s;
        // As the kernel's lookup: a listener bound to any address serves this one too.
        if (listener && !wildcard && s->state == kTcpListen && s->local.port == local.port && is_any(s->local))
            wildcard = s;
    }
    return wildcard;
}

Lookup find_socket_proc(const SockAddr& local, const SockAddr& remote) {
    bool read_any = false;
    int err = 0;
    for (const char* path : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        errno = 0;
        const auto text = read_file(path);
        if (!text) {
            err = err ? err : errno;
            continue;
        }
        read_any = true;
        if (auto s = find_in_proc_tcp(*text, local, remote)) return found(*s);
    }
    if (!read_any) return failed(std::string("cannot read /proc/net/tcp: ") + std::strerror(err), err);
    return Lookup{Lookup::Result::NotFound, {}, {}};
}

Lookup find_socket(const SockAddr& local, const SockAddr& remote) {
    const Lookup n = find_socket_netlink(local, remote);
    if (n.result == Lookup::Result::Found) return n;
    Lookup p = find_socket_proc(local, remote);
    if (p.result == Lookup::Result::Failed && n.result == Lookup::Result::Failed) {
        p.error = n.error + "; " + p.error;
        p.no_descriptors = p.no_descriptors || n.no_descriptors;
    }
    return p;
}

// --- the rule ----------------------------------------------------------------
PeerVerdict check_peer(const SockAddr& local, const SockAddr& peer, std::uint32_t me, bool peer_listens,
                       const SocketFinder& find) {
    // The peer's socket: its own address is `peer`, its peer is us. The
    // kernel answers a 4-tuple that no connection has with the listener on
    // `peer` (inet_diag's lookup falls back to it), so anything but that very
    // connection counts as not found.
    Lookup l = find(peer, local);
    if (l.result == Lookup::Result::Failed) return unknown(peer, l.error, true, l.no_descriptors);
    if (l.result == Lookup::Result::Found && (l.socket.local != peer || l.socket.remote != local))
        l.result = Lookup::Result::NotFound;
    if (l.result == Lookup::Result::Found && owner_known(l.socket)) return judge(peer, l.socket.uid, me);
    if (!peer_listens) {
        if (l.result == Lookup::Result::Found) return unknown(peer, "its socket has no owner any more (closing)", false);
        if (!is_loopback(peer)) {
            PeerVerdict v;
            v.peer = peer;
            v.kind = PeerVerdict::Kind::Remote;
            return v;
        }
        return unknown(peer, "no such socket on this host", false);
    }
    // We connected: the accepted socket may not be complete yet (a request
    // socket has no owner); the listener it came from speaks for it.
    SockAddr any;
    any.family = peer.family;
    const Lookup li = find(peer, any);
    if (li.result == Lookup::Result::Failed) return unknown(peer, li.error, true, li.no_descriptors);
    if (li.result == Lookup::Result::Found && owner_known(li.socket)) return judge(peer, li.socket.uid, me);
    if (l.result == Lookup::Result::NotFound && li.result == Lookup::Result::NotFound && !is_loopback(peer)) {
        PeerVerdict v;
        v.peer = peer;
        v.kind = PeerVerdict::Kind::Remote;
        return v;
    }
    return unknown(peer, "neither its socket nor a listener on its address has an owner", false);
}

PeerVerdict check_peer_of(int fd, bool peer_listens) {
    sockaddr_storage mine{}, theirs{};
    socklen_t mine_len = sizeof mine, theirs_len = sizeof theirs;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&mine), &mine_len) != 0 ||
        ::getpeername(fd, reinterpret_cast<sockaddr*>(&theirs), &theirs_len) != 0)
        return unknown(SockAddr{}, std::string("the connection's addresses: ") + std::strerror(errno), true);
    const auto local = sock_addr(reinterpret_cast<const sockaddr*>(&mine), mine_len);
    const auto peer = sock_addr(reinterpret_cast<const sockaddr*>(&theirs), theirs_len);
    if (!local || !peer) {  // not TCP/IP (a Unix socket): its file mode decides
        PeerVerdict v;
        v.kind = PeerVerdict::Kind::Allowed;
        return v;
    }
#ifdef __linux__
    return check_peer(*local, *peer, static_cast<std::uint32_t>(::geteuid()), peer_listens);
#else
    // No socket-owner query here: connections are served as before.
    PeerVerdict v;
    v.peer = *peer;
    v.kind = PeerVerdict::Kind::Allowed;
    return v;
#endif
}

}  // namespace aks::proxy
