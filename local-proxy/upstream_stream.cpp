#include "local-proxy/upstream_stream.h"

#include <openssl/err.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>

#include <boost/asio/ssl/error.hpp>

namespace aks::proxy {
namespace {

UpstreamStream::error_code last_ssl_error() {
    const unsigned long e = ERR_get_error();
    // A result OpenSSL gave no reason for (WANT_X509_LOOKUP, WANT_ASYNC, ...
    // which this stream never asks for) must still not read as success.
    if (e == 0) return boost::asio::ssl::error::unspecified_system_error;
    // OpenSSL 3 reports a peer that closed without close_notify as an SSL
    // error; asio (and Beast's parser) call that stream_truncated.
    if (ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING) return boost::asio::ssl::error::stream_truncated;
    return {static_cast<int>(e), boost::asio::error::get_ssl_category()};
}

// Plain TCP (Headlamp's http upstream): one non-blocking try.
template <class Io>
UpstreamStream::Outcome plain_io(UpstreamStream::tcp::socket& socket, UpstreamStream::Want on_block, Io io) {
    UpstreamStream::Outcome o;
    if (!socket.non_blocking()) socket.non_blocking(true, o.ec);
    if (!o.ec) o.bytes = io(o.ec);
    if (o.ec == boost::asio::error::would_block || o.ec == boost::asio::error::try_again) return {on_block, {}, 0};
    return o;
}

}  // namespace

UpstreamStream::UpstreamStream(boost::asio::io_context& ioc, boost::asio::ssl::context* tls)
    : executor_(ioc.get_executor()), socket_(ioc), timer_(ioc), deadline_(std::make_shared<Deadline>()) {
    deadline_->socket = &socket_;
    if (tls == nullptr) return;
    ssl_.reset(SSL_new(tls->native_handle()));
    if (!ssl_) throw boost::system::system_error(last_ssl_error(), "SSL_new");
    // One record per write (the caller loops), and a retry may pass the
    // same bytes from a moved buffer (the gathered head lives in the operation).
    SSL_set_mode(ssl_.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                                 SSL_MODE_RELEASE_BUFFERS);
    // Read what the socket has, not a record header then its body, and room
    // for several records per recv: a streaming tunnel or a large list costs
    // one system call per 64 KiB. The buffer exists only while bytes flow.
    SSL_set_read_ahead(ssl_.get(), 1);
    SSL_set_default_read_buffer_len(ssl_.get(), 4 * (SSL3_RT_MAX_PLAIN_LENGTH + 256));
}

void UpstreamStream::expires_after(std::chrono::steady_clock::duration d) {
    deadline_->expired = false;
    const unsigned generation = ++deadline_->generation;
    timer_.expires_after(d);
    timer_.async_wait([weak = std::weak_ptr<Deadline>(deadline_), generation](const error_code& ec) {
        auto deadline = weak.lock();
        if (ec || !deadline || deadline->generation != generation) return;
        deadline->expired = true;
        error_code ignored;
        deadline->socket->cancel(ignored);  // the pending wait ends; the operation reports timeout
    });
}

void UpstreamStream::expires_never() {
    deadline_->expired = false;
    ++deadline_->generation;
    timer_.cancel();
}

void UpstreamStream::close() {
    expires_never();
    error_code ignored;
    socket_.close(ignored);
}

// OpenSSL before 3.0.14 freed a buffer still in use when a record's header
// had arrived without its body (CVE-2024-4741); there the buffers stay.
void UpstreamStream::free_buffers() {
    static const bool safe = OpenSSL_version_num() >= 0x300000e0L;
    if (safe) SSL_free_buffers(ssl_.get());
}

void UpstreamStream::keep_buffers() {
    if (ssl_) SSL_clear_mode(ssl_.get(), SSL_MODE_RELEASE_BUFFERS);
    keep_buffers_ = true;
}

UpstreamStream::Outcome UpstreamStream::ssl_outcome(int ret) {
    Outcome o;
    switch (SSL_get_error(ssl_.get(), ret)) {
    case SSL_ERROR_WANT_READ:
        o.want = Want::read;
        break;
    case SSL_ERROR_WANT_WRITE:
        o.want = Want::write;
        break;
    case SSL_ERROR_ZERO_RETURN:  // close_notify
        o.ec = boost::asio::error::eof;
        break;
    case SSL_ERROR_SYSCALL:
        o.ec = errno != 0 ? error_code(errno, boost::system::system_category())
                          : error_code(boost::asio::ssl::error::stream_truncated);
        break;
    default:
        o.ec = last_ssl_error();
        break;
    }
    ERR_clear_error();
    return o;
}

UpstreamStream::Outcome UpstreamStream::try_handshake() {
    if (SSL_get_fd(ssl_.get()) < 0) {
        error_code ec;
        socket_.non_blocking(true, ec);
        if (ec) return {Want::done, ec, 0};
        SSL_set_fd(ssl_.get(), socket_.native_handle());
        SSL_set_connect_state(ssl_.get());
    }
    ERR_clear_error();
    errno = 0;
    const int ret = SSL_do_handshake(ssl_.get());
    if (ret == 1) return {};
    return ssl_outcome(ret);
}

// Nothing to read on the socket right now (a peek, so no buffer is needed).
bool UpstreamStream::socket_empty() {
    char c;
    const ssize_t n = ::recv(socket_.native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

UpstreamStream::Outcome UpstreamStream::try_readable() {
    if (ssl_ && SSL_has_pending(ssl_.get())) return {};
    if (!socket_empty()) return {};
    // Post-handshake messages (TLS 1.3 session tickets) leave a write buffer
    // behind; a waiting connection holds none.
    if (ssl_) free_buffers();
    return {Want::read, {}, 0};
}

UpstreamStream::Outcome UpstreamStream::try_read(char* data, std::size_t size) {
    if (size == 0) return {};
    if (!ssl_)
        return plain_io(socket_, Want::read,
                        [&](UpstreamStream::error_code& ec) { return socket_.read_some(boost::asio::buffer(data, size), ec); });
    // Several records may already sit decrypted or buffered: take them all
    // (up to size) in this one operation, without another recv.
    std::size_t total = 0;
    while (total < size) {
        ERR_clear_error();
        errno = 0;
        std::size_t got = 0;
        const int ret = SSL_read_ex(ssl_.get(), data + total, size - total, &got);
        if (ret == 1) {
            total += got;
            if (!SSL_has_pending(ssl_.get())) break;
            continue;
        }
        Outcome o = ssl_outcome(ret);
        // OpenSSL took its 17 KiB read buffer before it found the socket
        // empty; an idle connection gives it back while it waits (a no-op
        // when part of a record is still buffered).
        if (o.want == Want::read && !keep_buffers_) free_buffers();
        if (total == 0) return o;
        break;  // what was read is delivered; an error shows again on the next read
    }
    return {Want::done, {}, total};
}

UpstreamStream::Outcome UpstreamStream::try_write(const char* data, std::size_t size) {
    if (size == 0) return {};
    if (!ssl_)
        return plain_io(socket_, Want::write,
                        [&](UpstreamStream::error_code& ec) { return socket_.write_some(boost::asio::buffer(data, size), ec); });
    ERR_clear_error();
    errno = 0;
    std::size_t written = 0;
    const int ret = SSL_write_ex(ssl_.get(), data, size, &written);
    if (ret == 1) return {Want::done, {}, written};
    return ssl_outcome(ret);
}

}  // namespace aks::proxy

namespace aks::proxy {

UpstreamStream::Outcome UpstreamStream::read_now(char* data, std::size_t size) {
    if (!socket_.is_open()) return {Want::done, boost::asio::error::operation_aborted, 0};
    if (timed_out()) return {Want::done, boost::beast::error::timeout, 0};
    return try_read(data, size);
}

UpstreamStream::Outcome UpstreamStream::write_now(const char* data, std::size_t size) {
    if (!socket_.is_open()) return {Want::done, boost::asio::error::operation_aborted, 0};
    if (timed_out()) return {Want::done, boost::beast::error::timeout, 0};
    return try_write(data, size);
}

// OpenSSL's read side of a read_through_buffer stream: the bytes asio read.
BIO_METHOD* UpstreamStream::read_buffer_method() {
    static BIO_METHOD* method = [] {
        BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "aks-proxy read buffer");
        BIO_meth_set_read_ex(m, [](BIO* b, char* out, size_t len, size_t* got) -> int {
            auto* rb = static_cast<ReadBuffer*>(BIO_get_data(b));
            BIO_clear_retry_flags(b);
            const std::size_t n = std::min(len, rb->end - rb->pos);
            *got = n;
            if (n == 0) {
                BIO_set_retry_read(b);  // SSL_ERROR_WANT_READ: time for async_fill
                return 0;
            }
            std::memcpy(out, rb->data.data() + rb->pos, n);
            rb->pos += n;
            return 1;
        });
        BIO_meth_set_ctrl(m, [](BIO* b, int cmd, long, void*) -> long {
            if (cmd == BIO_CTRL_FLUSH) return 1;
            if (cmd == BIO_CTRL_PENDING) {
                auto* rb = static_cast<ReadBuffer*>(BIO_get_data(b));
                return static_cast<long>(rb->end - rb->pos);
            }
            return 0;
        });
        BIO_meth_set_create(m, [](BIO* b) -> int {
            BIO_set_init(b, 1);
            return 1;
        });
        return m;
    }();
    return method;
}

void UpstreamStream::read_through_buffer(std::size_t size) {
    if (!ssl_ || rbuf_) return;
    rbuf_ = std::make_unique<ReadBuffer>();
    rbuf_->data.resize(size);
    BIO* bio = BIO_new(read_buffer_method());
    if (!bio) throw std::bad_alloc();
    BIO_set_data(bio, rbuf_.get());
    // The socket BIO stays for writing; what OpenSSL already buffered from
    // it (the rest of the handshake's flight) is read first.
    SSL_set0_rbio(ssl_.get(), bio);
    // Reading from memory, OpenSSL needs no read-ahead room beyond a record.
    SSL_set_default_read_buffer_len(ssl_.get(), SSL3_RT_MAX_PLAIN_LENGTH + 256);
}

std::string UpstreamStream::alpn_selected() const {
    if (!ssl_) return {};
    const unsigned char* p = nullptr;
    unsigned int len = 0;
    SSL_get0_alpn_selected(ssl_.get(), &p, &len);
    return std::string(reinterpret_cast<const char*>(p), len);
}

}  // namespace aks::proxy
