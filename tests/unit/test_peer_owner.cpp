#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "core/unique_fd.h"
#include "local-proxy/peer_owner.h"

#ifdef __linux__
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#endif

using namespace aks::proxy;
using aks::UniqueFd;

namespace {

SockAddr addr(const char* ip, std::uint16_t port) {
    const auto a = parse_sock_addr(ip, port);
    REQUIRE(a);
    return *a;
}

SocketInfo sock(const char* local, std::uint16_t lport, const char* remote, std::uint16_t rport, std::uint32_t uid,
                std::uint64_t inode, int state = 1) {
    SocketInfo s;
    s.local = addr(local, lport);
    s.remote = addr(remote, rport);
    s.uid = uid;
    s.inode = inode;
    s.state = state;
    return s;
}

bool same(const SocketInfo& a, const SocketInfo& b) {
    return a.local == b.local && a.remote == b.remote && a.uid == b.uid && a.inode == b.inode && a.state == b.state;
}

// A loopback listener and a connection to it: the client end, the accepted end.
struct Pair {
    UniqueFd listener, client, accepted;
    SockAddr listen_addr, client_addr;
};

SockAddr name_of(int fd, bool peer) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    REQUIRE((peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len)
                  : ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len)) == 0);
    const auto a = sock_addr(reinterpret_cast<const sockaddr*>(&ss), len);
    REQUIRE(a);
    return *a;
}

UniqueFd listen_on(const char* ip) {
    UniqueFd l(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    REQUIRE(l);
    sockaddr_in in{};
    in.sin_family = AF_INET;
    ::inet_pton(AF_INET, ip, &in.sin_addr);
    REQUIRE(::bind(l.get(), reinterpret_cast<sockaddr*>(&in), sizeof in) == 0);
    REQUIRE(::listen(l.get(), 8) == 0);
    return l;
}

UniqueFd connect_to(const SockAddr& to) {
    UniqueFd c(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    REQUIRE(c);
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = htons(to.port);
    std::memcpy(&in.sin_addr, to.addr.data(), 4);
    REQUIRE(::connect(c.get(), reinterpret_cast<sockaddr*>(&in), sizeof in) == 0);
    return c;
}

Pair loopback_pair() {
    Pair p;
    p.listener = listen_on("127.0.0.1");
    p.listen_addr = name_of(p.listener.get(), false);
    p.client = connect_to(p.listen_addr);
    p.accepted = UniqueFd(::accept(p.listener.get(), nullptr, nullptr));
    REQUIRE(p.accepted);
    p.client_addr = name_of(p.client.get(), false);
    return p;
}

}  // namespace

TEST_CASE("SockAddr: IPv4-mapped IPv6 is IPv4; loopback; text", "[peer_owner]") {
    CHECK(addr("::ffff:127.0.0.1", 80) == addr("127.0.0.1", 80));
    CHECK(addr("::ffff:127.0.0.1", 80).family == AF_INET);
    CHECK(is_loopback(addr("127.0.0.1", 1)));
    CHECK(is_loopback(addr("127.83.41.7", 1)));
    CHECK(is_loopback(addr("::1", 1)));
    CHECK(is_loopback(addr("::ffff:127.0.0.2", 1)));
    CHECK_FALSE(is_loopback(addr("10.0.0.1", 1)));
    CHECK_FALSE(is_loopback(addr("::2", 1)));
    CHECK_FALSE(is_loopback(addr("::", 1)));
    CHECK(to_string(addr("127.0.0.1", 8080)) == "127.0.0.1:8080");
    CHECK(to_string(addr("::1", 8080)) == "[::1]:8080");
    CHECK_FALSE(parse_sock_addr("localhost", 1));
}

TEST_CASE("owner_known: uid 0 with inode 0 is no owner, not root", "[peer_owner]") {
    CHECK(owner_known(sock("127.0.0.1", 1, "127.0.0.1", 2, 1000, 0)));   // closing, or not accepted yet
    CHECK(owner_known(sock("127.0.0.1", 1, "127.0.0.1", 2, 0, 4711)));   // root
    CHECK(owner_known(sock("127.0.0.1", 1, "127.0.0.1", 2, 1000, 4711)));
    CHECK_FALSE(owner_known(sock("127.0.0.1", 1, "127.0.0.1", 2, 0, 0)));  // time-wait, request socket
}

TEST_CASE("parse_proc_tcp_line: the kernel's lines", "[peer_owner]") {
    struct Row {
        const char* line;
        bool ok;
        SocketInfo want;
    };
    const Row rows[] = {
        {"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode", false, {}},
        {"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 5691705 1 "
         "0000000031b8c73e 100 0 0 10 0",
         true, sock("127.0.0.1", 8080, "0.0.0.0", 0, 1000, 5691705, 10)},
        {"  12: 07295307:1F40 0100007F:D431 01 00000000:00000000 00:00000000 00000000 65534        0 99 1 "
         "0000000000000000 20 4 30 10 -1",
         true, sock("7.83.41.7", 8000, "127.0.0.1", 54321, 65534, 99, 1)},
        // Time-wait: the kernel prints uid 0 and inode 0.
        {" 3: 0100007F:D431 0100007F:1F40 06 00000000:00000000 03:00001770 00000000     0        0 0 3 "
         "0000000000000000",
         true, sock("127.0.0.1", 54321, "127.0.0.1", 8000, 0, 0, 6)},
        // tcp6: ::1, and an IPv4-mapped address (a dual-stack socket).
        {"   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 "
         "00:00000000 00000000  1000        0 42 1 0000000000000000 100 0 0 10 0",
         true, sock("::1", 8080, "::", 0, 1000, 42, 10)},
        {"   1: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:D431 01 00000000:00000000 "
         "00:00000000 00000000  1000        0 43 1 0000000000000000 100 0 0 10 0",
         true, sock("127.0.0.1", 8080, "127.0.0.1", 54321, 1000, 43, 1)},
        {"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000", false, {}},      // cut
        {"   0: 0100007:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", false, {}},  // 7 digits
        {"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 -1 0 1", false, {}},
        {"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 4294967296 0 1", false, {}},
        {"   0: 0100007X:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", false, {}},
        {"", false, {}},
    };
    for (const Row& r : rows) {
        INFO(r.line);
        const auto got = parse_proc_tcp_line(r.line);
        REQUIRE(got.has_value() == r.ok);
        if (r.ok) CHECK(same(*got, r.want));
    }
}

TEST_CASE("proc_tcp_line round-trips through parse_proc_tcp_line", "[peer_owner]") {
    for (const SocketInfo& s : {sock("127.0.0.1", 8080, "127.0.0.1", 40000, 1000, 12345, 1),
                                sock("::1", 1, "::1", 65535, 4294967294u, 1, 10),
                                sock("10.1.2.3", 443, "192.168.0.1", 5, 0, 0, 6)}) {
        const auto back = parse_proc_tcp_line(proc_tcp_line(s));
        REQUIRE(back);
        CHECK(same(*back, s));
    }
}

TEST_CASE("find_in_proc_tcp: the exact 4-tuple, or the listener for a zero remote", "[peer_owner]") {
    const std::string text =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
        proc_tcp_line(sock("0.0.0.0", 8080, "0.0.0.0", 0, 65534, 7, 10)) + "\n" +
        proc_tcp_line(sock("127.0.0.1", 8080, "127.0.0.1", 40000, 65534, 8, 1)) + "\n" +
        proc_tcp_line(sock("127.0.0.1", 40000, "127.0.0.1", 8080, 1000, 9, 1)) + "\n" +
        proc_tcp_line(sock("127.0.0.5", 9000, "0.0.0.0", 0, 1000, 10, 10)) + "\n";
    auto s = find_in_proc_tcp(text, addr("127.0.0.1", 40000), addr("127.0.0.1", 8080));
    REQUIRE(s);
    CHECK(s->uid == 1000);
    s = find_in_proc_tcp(text, addr("127.0.0.1", 8080), addr("127.0.0.1", 40000));
    REQUIRE(s);
    CHECK(s->uid == 65534);
    s = find_in_proc_tcp(text, addr("127.0.0.1", 8080), addr("0.0.0.0", 0));  // the wildcard listener
    REQUIRE(s);
    CHECK(s->inode == 7);
    s = find_in_proc_tcp(text, addr("127.0.0.5", 9000), addr("0.0.0.0", 0));
    REQUIRE(s);
    CHECK(s->inode == 10);
    CHECK_FALSE(find_in_proc_tcp(text, addr("127.0.0.1", 40001), addr("127.0.0.1", 8080)));
    CHECK_FALSE(find_in_proc_tcp(text, addr("127.0.0.1", 9000), addr("0.0.0.0", 0)));
}

#ifdef __linux__
TEST_CASE("diag_request: an exact inet_diag_req_v2 for the 4-tuple", "[peer_owner]") {
    const auto req = diag_request(addr("127.0.0.1", 40000), addr("127.83.41.7", 8000), 77);
    REQUIRE(req.size() == sizeof(nlmsghdr) + sizeof(inet_diag_req_v2));
    nlmsghdr h;
    inet_diag_req_v2 r;
    std::memcpy(&h, req.data(), sizeof h);
    std::memcpy(&r, req.data() + sizeof h, sizeof r);
    CHECK(h.nlmsg_len == req.size());
    CHECK(h.nlmsg_type == SOCK_DIAG_BY_FAMILY);
    CHECK(h.nlmsg_flags == NLM_F_REQUEST);  // not a dump
    CHECK(h.nlmsg_seq == 77);
    CHECK(r.sdiag_family == AF_INET);
    CHECK(r.sdiag_protocol == IPPROTO_TCP);
    CHECK(ntohs(r.id.idiag_sport) == 40000);
    CHECK(ntohs(r.id.idiag_dport) == 8000);
    const std::uint8_t src[4] = {127, 0, 0, 1}, dst[4] = {127, 83, 41, 7};
    CHECK(std::memcmp(r.id.idiag_src, src, 4) == 0);
    CHECK(std::memcmp(r.id.idiag_dst, dst, 4) == 0);
    CHECK(r.id.idiag_cookie[0] == INET_DIAG_NOCOOKIE);
    CHECK(r.id.idiag_cookie[1] == INET_DIAG_NOCOOKIE);
}

TEST_CASE("parse_diag_reply: the socket, an error, acknowledgements, other sequence numbers", "[peer_owner]") {
    const SocketInfo s = sock("::1", 8080, "::1", 40000, 65534, 4711, 1);
    auto a = parse_diag_reply(diag_reply(s, 5).data(), diag_reply(s, 5).size(), 5);
    REQUIRE(a);
    REQUIRE(a->socket);
    CHECK(same(*a->socket, s));
    CHECK_FALSE(parse_diag_reply(diag_reply(s, 5).data(), diag_reply(s, 5).size(), 6));  // not ours
    auto cut = diag_reply(s, 5);
    cut.resize(cut.size() - 1);
    CHECK_FALSE(parse_diag_reply(cut.data(), cut.size(), 5));

    auto error = [](int err, std::uint32_t seq) {
        struct {
            nlmsghdr h;
            nlmsgerr e;
        } m{};
        m.h.nlmsg_len = sizeof m;
        m.h.nlmsg_type = NLMSG_ERROR;
        m.h.nlmsg_seq = seq;
        m.e.error = err;
        const auto* p = reinterpret_cast<const std::uint8_t*>(&m);
        return std::vector<std::uint8_t>(p, p + sizeof m);
    };
    const auto enoent = error(-ENOENT, 5);
    a = parse_diag_reply(enoent.data(), enoent.size(), 5);
    REQUIRE(a);
    CHECK_FALSE(a->socket);
    CHECK(a->error == ENOENT);
    const auto odd = error(7, 5);  // not a negative errno
    a = parse_diag_reply(odd.data(), odd.size(), 5);
    REQUIRE(a);
    CHECK(a->error == EPROTO);
    // An acknowledgement, then the answer, in one datagram.
    auto both = error(0, 5);
    const auto reply = diag_reply(s, 5);
    both.insert(both.end(), reply.begin(), reply.end());
    a = parse_diag_reply(both.data(), both.size(), 5);
    REQUIRE(a);
    REQUIRE(a->socket);
    CHECK(a->socket->uid == 65534);
    CHECK_FALSE(parse_diag_reply(both.data(), 3, 5));
}
#endif

TEST_CASE("check_peer: own uid and root served, others refused, no owner refused", "[peer_owner]") {
    const SockAddr proxy = addr("127.83.41.7", 8000);
    const SockAddr client = addr("127.0.0.1", 40000);
    std::map<std::pair<std::uint16_t, std::uint16_t>, Lookup> table;  // (local port, remote port) -> answer
    const SocketFinder find = [&](const SockAddr& local, const SockAddr& remote) {
        const auto it = table.find({local.port, remote.port});
        return it == table.end() ? Lookup{Lookup::Result::NotFound, {}, {}} : it->second;
    };
    auto answer = [&](std::uint32_t uid, std::uint64_t inode) {
        Lookup l;
        l.result = Lookup::Result::Found;
        l.socket = sock("127.0.0.1", 40000, "127.83.41.7", 8000, uid, inode);
        table[{40000, 8000}] = l;
    };
    answer(1000, 5);
    CHECK(check_peer(proxy, client, 1000, false, find).kind == PeerVerdict::Kind::Allowed);
    answer(0, 5);
    CHECK(check_peer(proxy, client, 1000, false, find).kind == PeerVerdict::Kind::Allowed);
    answer(65534, 5);
    auto v = check_peer(proxy, client, 1000, false, find);
    CHECK(v.kind == PeerVerdict::Kind::Refused);
    CHECK(v.uid == 65534);
    CHECK(v.peer == client);
    answer(65534, 0);  // the other user closed after sending: still theirs
    CHECK(check_peer(proxy, client, 1000, false, find).kind == PeerVerdict::Kind::Refused);
    answer(0, 0);  // time-wait: no owner known, never "root"
    v = check_peer(proxy, client, 1000, false, find);
    CHECK(v.kind == PeerVerdict::Kind::Unknown);
    CHECK_FALSE(v.lookup_failed);
    table.clear();
    CHECK(check_peer(proxy, client, 1000, false, find).kind == PeerVerdict::Kind::Unknown);  // loopback, gone
    CHECK(check_peer(addr("10.0.0.5", 8000), addr("10.0.0.9", 40000), 1000, false, find).kind ==
          PeerVerdict::Kind::Remote);
    const SocketFinder broken = [](const SockAddr&, const SockAddr&) {
        return Lookup{Lookup::Result::Failed, {}, "sock_diag: no; cannot read /proc/net/tcp"};
    };
    v = check_peer(proxy, client, 1000, false, broken);
    CHECK(v.kind == PeerVerdict::Kind::Unknown);
    CHECK(v.lookup_failed);
    CHECK(v.why == "sock_diag: no; cannot read /proc/net/tcp");
    CHECK_FALSE(check_peer(addr("10.0.0.5", 8000), addr("10.0.0.9", 1), 1000, false, broken).ok());
}

// The kernel's inet_diag lookup falls back to a listener on the source
// address and port when no connection has the 4-tuple (a client that is
// gone): such an answer is not the client's socket and says nothing about it.
TEST_CASE("check_peer: an answer that is not the connection itself is no owner", "[peer_owner]") {
    const SockAddr proxy = addr("127.83.41.7", 8000);
    const SockAddr client = addr("127.0.0.1", 40000);
    Lookup listener;
    listener.result = Lookup::Result::Found;
    listener.socket = sock("127.0.0.1", 40000, "0.0.0.0", 0, 0, 77);
    listener.socket.remote.family = AF_INET;
    listener.socket.state = 10;  // TCP_LISTEN
    const SocketFinder find = [&](const SockAddr&, const SockAddr&) { return listener; };
    auto v = check_peer(proxy, client, 1000, false, find);
    CHECK(v.kind == PeerVerdict::Kind::Unknown);
    // Nor a connection of the same port to somewhere else.
    listener.socket = sock("127.0.0.1", 40000, "127.0.0.1", 9999, 0, 78);
    v = check_peer(proxy, client, 1000, false, find);
    CHECK(v.kind == PeerVerdict::Kind::Unknown);
}

TEST_CASE("check_peer of an upstream: its accepted socket, else its listener", "[peer_owner]") {
    const SockAddr me = addr("127.0.0.1", 40000);
    const SockAddr upstream = addr("127.0.0.1", 8080);
    std::map<std::pair<std::uint16_t, std::uint16_t>, Lookup> table;
    const SocketFinder find = [&](const SockAddr& local, const SockAddr& remote) {
        const auto it = table.find({local.port, remote.port});
        return it == table.end() ? Lookup{Lookup::Result::NotFound, {}, {}} : it->second;
    };
    auto set = [&](std::uint16_t rport, std::uint32_t uid, std::uint64_t inode) {
        Lookup l;
        l.result = Lookup::Result::Found;
        l.socket = sock("127.0.0.1", 8080, "127.0.0.1", rport, uid, inode);
        table[{8080, rport}] = l;
    };
    set(40000, 65534, 0);  // accepted, not yet taken by accept(): the listener's uid
    CHECK(check_peer(me, upstream, 1000, true, find).kind == PeerVerdict::Kind::Refused);
    set(40000, 1000, 0);
    CHECK(check_peer(me, upstream, 1000, true, find).kind == PeerVerdict::Kind::Allowed);
    set(40000, 0, 0);  // a request socket: ask the listener
    set(0, 65534, 77);
    auto v = check_peer(me, upstream, 1000, true, find);
    CHECK(v.kind == PeerVerdict::Kind::Refused);
    CHECK(v.uid == 65534);
    set(0, 1000, 77);
    CHECK(check_peer(me, upstream, 1000, true, find).kind == PeerVerdict::Kind::Allowed);
    table.clear();
    CHECK(check_peer(me, upstream, 1000, true, find).kind == PeerVerdict::Kind::Unknown);
    CHECK(check_peer(addr("10.0.0.9", 40000), addr("10.0.0.5", 80), 1000, true, find).kind ==
          PeerVerdict::Kind::Remote);
}

#ifdef __linux__
TEST_CASE("find_socket: the kernel names this process's uid for both ends of a loopback connection",
          "[peer_owner]") {
    Pair p = loopback_pair();
    const auto me = static_cast<std::uint32_t>(::geteuid());
    for (const Lookup& l : {find_socket_netlink(p.client_addr, p.listen_addr),
                            find_socket_proc(p.client_addr, p.listen_addr), find_socket(p.client_addr, p.listen_addr)}) {
        INFO(l.error);
        REQUIRE(l.result == Lookup::Result::Found);
        CHECK(l.socket.uid == me);
        CHECK(l.socket.inode != 0);
        CHECK(l.socket.local == p.client_addr);
        CHECK(l.socket.remote == p.listen_addr);
    }
    SockAddr any;
    any.family = AF_INET;
    const Lookup listener = find_socket_netlink(p.listen_addr, any);
    REQUIRE(listener.result == Lookup::Result::Found);
    CHECK(listener.socket.state == 10);
    CHECK(listener.socket.uid == me);
    SockAddr nowhere = p.client_addr;
    nowhere.port = static_cast<std::uint16_t>(p.client_addr.port ^ 1);
    CHECK(find_socket(nowhere, p.listen_addr).result == Lookup::Result::NotFound);

    CHECK(check_peer_of(p.accepted.get(), false).kind == PeerVerdict::Kind::Allowed);
    CHECK(check_peer_of(p.client.get(), true).kind == PeerVerdict::Kind::Allowed);
}

TEST_CASE("check_peer_of: a connection from another uid is refused", "[peer_owner]") {
    if (::geteuid() != 0) {
        WARN("not root: cannot make a socket of another uid");
        return;
    }
    UniqueFd l = listen_on("127.0.0.1");
    const SockAddr at = name_of(l.get(), false);
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // nobody: connects, then waits for the parent to finish
        ::close(ready[1]);
        if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
        UniqueFd c(::socket(AF_INET, SOCK_STREAM, 0));
        sockaddr_in in{};
        in.sin_family = AF_INET;
        in.sin_port = htons(at.port);
        std::memcpy(&in.sin_addr, at.addr.data(), 4);
        if (::connect(c.get(), reinterpret_cast<sockaddr*>(&in), sizeof in) != 0) ::_exit(3);
        char b;
        if (::read(ready[0], &b, 1) < 0) ::_exit(4);
        ::_exit(0);
    }
    ::close(ready[0]);
    UniqueFd accepted(::accept(l.get(), nullptr, nullptr));
    REQUIRE(accepted);
    const PeerVerdict v = check_peer_of(accepted.get(), false);
    ::close(ready[1]);
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK(v.kind == PeerVerdict::Kind::Refused);
    CHECK(v.uid == 65534);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
#endif
