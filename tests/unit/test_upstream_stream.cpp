#include <catch2/catch.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "local-proxy/upstream_stream.h"
#include "tests/unit/test_pki.h"

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using aks::proxy::UpstreamStream;
using error_code = boost::beast::error_code;

// One connection on 127.0.0.1, served on its own thread: TLS with a
// certificate for IP 127.0.0.1 (or plain), then `serve` on the open stream.
// The destructor joins, so a failing test still stops its server.
class OneShotServer {
public:
    enum class Mode { echo, silent, close };

    OneShotServer(const aks_test::TestCert& cert, bool tls, Mode mode)
        : acceptor_(ioc_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)),
          tls_(net::ssl::context::tls_server) {
        if (tls) {
            tls_.use_certificate(net::buffer(cert.cert_pem()), net::ssl::context::pem);
            tls_.use_private_key(net::buffer(cert.key_pem()), net::ssl::context::pem);
        }
        thread_ = std::thread([this, tls, mode] { run(tls, mode); });
    }
    ~OneShotServer() {
        stop_ = true;
        error_code ignored;
        acceptor_.close(ignored);
        thread_.join();
    }
    unsigned short port() const { return acceptor_.local_endpoint().port(); }

private:
    void run(bool tls, Mode mode) {
        error_code ec;
        tcp::socket socket(ioc_);
        acceptor_.accept(socket, ec);
        if (ec) return;
        if (!tls) return serve(socket, mode);
        net::ssl::stream<tcp::socket&> stream(socket, tls_);
        stream.handshake(net::ssl::stream_base::server, ec);
        if (!ec) serve(stream, mode);
    }
    template <class Stream>
    void serve(Stream& s, Mode mode) {
        error_code ec;
        if (mode == Mode::close) return;
        char buf[4096];
        while (!stop_) {
            if (mode == Mode::silent) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
                continue;
            }
            const std::size_t n = s.read_some(net::buffer(buf), ec);
            if (ec) return;
            net::write(s, net::buffer(buf, n), ec);
            if (ec) return;
        }
    }

    net::io_context ioc_;
    tcp::acceptor acceptor_;
    net::ssl::context tls_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
};

struct Client {
    net::io_context ioc;
    net::ssl::context tls{net::ssl::context::tls_client};
    std::optional<UpstreamStream> stream;

    Client(const aks_test::TestCert& trusted, const std::string& verify_name, bool use_tls) {
        tls.add_certificate_authority(net::buffer(trusted.cert_pem()));
        tls.set_verify_mode(net::ssl::verify_peer);
        tls.set_verify_callback(net::ssl::host_name_verification(verify_name));
        stream.emplace(ioc, use_tls ? &tls : nullptr);
    }

    // Runs handlers until the operation completed (a deadline timer may
    // still be pending, so run() would wait for it).
    error_code drive(std::optional<error_code>& result) {
        ioc.restart();
        while (!result && ioc.run_one() > 0) {
        }
        REQUIRE(result.has_value());
        return *result;
    }

    error_code connect(unsigned short port) {
        std::optional<error_code> result;
        stream->expires_after(std::chrono::seconds(10));
        stream->async_connect({tcp::endpoint(net::ip::make_address("127.0.0.1"), port)},
                              [&](error_code ec) { result = ec; });
        if (drive(result) || !stream->uses_tls()) return *result;
        result.reset();
        stream->async_handshake([&](error_code ec, std::size_t) { result = ec; });
        return drive(result);
    }

    template <class Buffers>
    error_code write_buffers(const Buffers& buffers) {
        std::optional<error_code> result;
        net::async_write(*stream, buffers, [&](error_code ec, std::size_t) { result = ec; });
        return drive(result);
    }
    error_code write(const std::string& data) { return write_buffers(net::buffer(data)); }

    std::pair<error_code, std::string> read_exactly(std::size_t n) {
        std::string out(n, '\0');
        std::optional<error_code> result;
        net::async_read(*stream, net::buffer(out), [&](error_code ec, std::size_t) { result = ec; });
        return {drive(result), out};
    }

    error_code wait_readable() {
        std::optional<error_code> result;
        stream->async_wait_readable([&](error_code ec, std::size_t) { result = ec; });
        return drive(result);
    }
};

const aks_test::TestCert& server_cert() {
    static const aks_test::TestCert cert = aks_test::TestCert::make("EC", "IP:127.0.0.1");
    return cert;
}

}  // namespace

TEST_CASE("UpstreamStream: verified TLS, a gathered write and reads across records", "[upstream_stream]") {
    OneShotServer server(server_cert(), true, OneShotServer::Mode::echo);
    Client client(server_cert(), "127.0.0.1", true);
    REQUIRE_FALSE(client.connect(server.port()));

    // Several small buffers (as a serialized head comes) in one operation.
    std::string head = "GET / HTTP/1.1\r\n", host = "Host: x\r\n", end = "\r\n";
    std::array<net::const_buffer, 3> pieces{net::buffer(head), net::buffer(host), net::buffer(end)};
    REQUIRE_FALSE(client.write_buffers(pieces));
    REQUIRE_FALSE(client.wait_readable());
    auto [ec, echoed] = client.read_exactly(head.size() + host.size() + end.size());
    REQUIRE_FALSE(ec);
    CHECK(echoed == head + host + end);

    // More than one TLS record each way.
    std::string big(100 * 1024, 'x');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
    REQUIRE_FALSE(client.write(big));
    auto [ec2, back] = client.read_exactly(big.size());
    REQUIRE_FALSE(ec2);
    CHECK(back == big);
}

TEST_CASE("UpstreamStream: a certificate for another name fails the handshake", "[upstream_stream]") {
    OneShotServer server(server_cert(), true, OneShotServer::Mode::echo);
    Client client(server_cert(), "api.other.example", true);
    const error_code ec = client.connect(server.port());
    REQUIRE(ec);
    CHECK(ec.category() == net::error::get_ssl_category());
}

TEST_CASE("UpstreamStream: an untrusted certificate fails the handshake", "[upstream_stream]") {
    OneShotServer server(server_cert(), true, OneShotServer::Mode::echo);
    const auto other = aks_test::TestCert::make("EC", "IP:127.0.0.1");
    Client client(other, "127.0.0.1", true);
    REQUIRE(client.connect(server.port()));
}

TEST_CASE("UpstreamStream: a silent server ends the read with timeout", "[upstream_stream]") {
    OneShotServer server(server_cert(), true, OneShotServer::Mode::silent);
    Client client(server_cert(), "127.0.0.1", true);
    REQUIRE_FALSE(client.connect(server.port()));
    client.stream->expires_after(std::chrono::milliseconds(50));
    CHECK(client.read_exactly(1).first == boost::beast::error::timeout);
    client.stream->expires_after(std::chrono::milliseconds(50));
    CHECK(client.wait_readable() == boost::beast::error::timeout);
}

TEST_CASE("UpstreamStream: a peer that closes without close_notify is a truncated stream", "[upstream_stream]") {
    OneShotServer server(server_cert(), true, OneShotServer::Mode::close);
    Client client(server_cert(), "127.0.0.1", true);
    REQUIRE_FALSE(client.connect(server.port()));
    REQUIRE_FALSE(client.wait_readable());  // EOF counts as readable
    const error_code ec = client.read_exactly(1).first;
    CHECK((ec == net::ssl::error::stream_truncated || ec == net::error::eof));
}

TEST_CASE("UpstreamStream: operations after close end without touching the old descriptor", "[upstream_stream]") {
    OneShotServer server(server_cert(), true, OneShotServer::Mode::echo);
    Client client(server_cert(), "127.0.0.1", true);
    REQUIRE_FALSE(client.connect(server.port()));
    client.stream->close();
    CHECK(client.read_exactly(1).first == net::error::operation_aborted);
    CHECK(client.write("late") == net::error::operation_aborted);
}

TEST_CASE("UpstreamStream: plain TCP (Headlamp's http upstream) round trip", "[upstream_stream]") {
    OneShotServer server(server_cert(), false, OneShotServer::Mode::echo);
    Client client(server_cert(), "127.0.0.1", false);
    REQUIRE_FALSE(client.connect(server.port()));
    REQUIRE_FALSE(client.write("hello"));
    REQUIRE_FALSE(client.wait_readable());
    auto [ec, got] = client.read_exactly(5);
    REQUIRE_FALSE(ec);
    CHECK(got == "hello");
}
