#pragma once
// The upstream connection: TLS to the API server (or an https Headlamp
// ingress), plain TCP to a port-forwarded Headlamp. One type, so the
// exchange, pool and tunnel serve both.
//
// Why not asio::ssl::stream: it keeps four 17 KiB buffers per connection
// (two vectors and a BIO pair) whether or not bytes flow, which made 5,000
// idle watches cost ~70 KiB each. Here OpenSSL reads and writes the
// non-blocking socket itself, with SSL_MODE_RELEASE_BUFFERS, and the
// connection waits for readiness only when OpenSSL says it must; an idle
// connection holds no I/O buffer at all. Fewer copies and fewer system calls
// on the hot path come with it.
#include <boost/asio/compose.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include <openssl/ssl.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace aks::proxy {

class UpstreamStream {
public:
    using executor_type = boost::asio::io_context::executor_type;
    using tcp = boost::asio::ip::tcp;
    using error_code = boost::beast::error_code;

    // tls null: plain TCP.
    UpstreamStream(boost::asio::io_context& ioc, boost::asio::ssl::context* tls);
    UpstreamStream(const UpstreamStream&) = delete;
    UpstreamStream& operator=(const UpstreamStream&) = delete;

    bool uses_tls() const { return ssl_ != nullptr; }
    executor_type get_executor() noexcept { return executor_; }
    tcp::socket& socket() { return socket_; }
    SSL* native_handle() { return ssl_.get(); }

    // Deadline for every operation started until the next call, as
    // beast::tcp_stream has it: on expiry the pending operation ends with
    // beast::error::timeout.
    void expires_after(std::chrono::steady_clock::duration d);
    void expires_never();
    void close();
    // A tunnel streams: it keeps OpenSSL's buffers instead of giving them
    // back (and taking them again) each time the socket runs dry.
    void keep_buffers();

    template <class Handler>
    void async_connect(const std::vector<tcp::endpoint>& endpoints, Handler&& handler);
    // Client side, handler(ec, 0); SNI and verification are set on native_handle().
    template <class Handler>
    void async_handshake(Handler&& handler);
    template <class MutableBuffers, class Handler>
    void async_read_some(const MutableBuffers& buffers, Handler&& handler);
    // Completes, handler(ec, 0), once a read would find bytes (or EOF)
    // without blocking: a watch waits here holding no buffer of its own.
    template <class Handler>
    void async_wait_readable(Handler&& handler);
    template <class ConstBuffers, class Handler>
    void async_write_some(const ConstBuffers& buffers, Handler&& handler);

    // One non-blocking try of an operation, for the composed operation below.
    enum class Want { done, read, write };
    struct Outcome {
        Want want = Want::done;
        error_code ec;
        std::size_t bytes = 0;
    };

    // The same tries without waiting, for a caller that drives its own loop
    // (the HTTP/2 connection reads into one buffer shared by all its worker's
    // connections, so a read must complete where it starts): want read/write
    // means nothing could move now.
    Outcome read_now(char* data, std::size_t size);
    Outcome write_now(const char* data, std::size_t size);
    // Completes, handler(ec, 0), once the socket is ready for `want` (after
    // a *_now that asked for it), under the current deadline.
    template <class Handler>
    void async_wait_for(Want want, Handler&& handler);
    // The protocol ALPN selected in the handshake ("" when none).
    std::string alpn_selected() const;

    // For a TLS connection that is read all the time (HTTP/2), after the
    // handshake: asio reads the socket into a buffer of `size` bytes that
    // OpenSSL then decrypts from, so each wakeup costs one recv — no
    // readiness wait, which asio re-registers with epoll every time, and no
    // read that only finds the socket empty. read_now asks for Want::read
    // once the buffer is used up; async_fill reads the socket again.
    void read_through_buffer(std::size_t size);
    template <class Handler>
    void async_fill(Handler&& handler);  // handler(ec, bytes)

private:
    struct SslFree {
        void operator()(SSL* s) const { SSL_free(s); }
    };
    // Shared with the timer's handler, which may run after this stream is gone.
    struct Deadline {
        tcp::socket* socket = nullptr;
        unsigned generation = 0;
        bool expired = false;
    };
    template <class Attempt>
    class IoOp;
    // Starts an IoOp that completes with handler(ec, bytes).
    template <class Handler, class Attempt>
    void start(Attempt attempt, Handler&& handler) {
        boost::asio::async_compose<Handler, void(error_code, std::size_t)>(IoOp<Attempt>(*this, std::move(attempt)),
                                                                           handler, socket_);
    }

    Outcome try_handshake();
    Outcome try_read(char* data, std::size_t size);
    Outcome try_readable();
    bool socket_empty();
    Outcome try_write(const char* data, std::size_t size);
    Outcome ssl_outcome(int ret);
    static BIO_METHOD* read_buffer_method();
    void free_buffers();
    bool timed_out() const { return deadline_->expired; }

    struct ReadBuffer {
        std::vector<char> data;
        std::size_t pos = 0, end = 0;
    };

    executor_type executor_;
    tcp::socket socket_;
    std::unique_ptr<SSL, SslFree> ssl_;
    std::unique_ptr<ReadBuffer> rbuf_;  // read_through_buffer
    boost::asio::steady_timer timer_;
    std::shared_ptr<Deadline> deadline_;
    bool keep_buffers_ = false;
};

// Runs Attempt until it is done, waiting for socket readiness in between.
// Completes through a post when done at once, as asio requires of an
// initiating function.
template <class Attempt>
class UpstreamStream::IoOp {
public:
    IoOp(UpstreamStream& s, Attempt attempt) : s_(s), attempt_(std::move(attempt)) {}

    template <class Self>
    void operator()(Self& self, error_code ec = {}, std::size_t bytes = 0) {
        switch (step_) {
        case Step::done:
            return self.complete(ec, bytes);
        case Step::waiting:
            if (ec) return self.complete(s_.timed_out() ? error_code(boost::beast::error::timeout) : ec, 0);
            break;
        case Step::start:
            break;
        }
        // Closed (a tunnel's other half ended it): the SSL still names the old
        // descriptor number, which another connection may own by now.
        if (!s_.socket_.is_open()) return finish(self, boost::asio::error::operation_aborted, 0);
        // Expired while nothing was pending (the cancel found no wait to end).
        if (s_.timed_out()) return finish(self, boost::beast::error::timeout, 0);
        const Outcome o = attempt_(step_ == Step::waiting);
        if (o.want != Want::done) {
            step_ = Step::waiting;
            return s_.socket_.async_wait(o.want == Want::read ? tcp::socket::wait_read : tcp::socket::wait_write,
                                         std::move(self));
        }
        finish(self, o.ec, o.bytes);
    }

private:
    enum class Step { start, waiting, done };

    template <class Self>
    void finish(Self& self, error_code ec, std::size_t bytes) {
        if (step_ == Step::start) return complete_later(self, ec, bytes);
        self.complete(ec, bytes);
    }

    template <class Self>
    void complete_later(Self& self, error_code ec, std::size_t bytes) {
        step_ = Step::done;
        auto ex = s_.get_executor();
        boost::asio::post(ex, boost::beast::bind_front_handler(std::move(self), ec, bytes));
    }

    UpstreamStream& s_;
    Attempt attempt_;
    Step step_ = Step::start;
};

template <class Handler>
void UpstreamStream::async_connect(const std::vector<tcp::endpoint>& endpoints, Handler&& handler) {
    // A connect has no non-blocking "try"; asio's composed connect with the
    // deadline's cancellation mapped to timeout.
    auto deadline = deadline_;
    boost::asio::async_connect(
        socket_, endpoints,
        // A cancel alone would move on to the next address with no deadline.
        [deadline](const error_code&, const tcp::endpoint&) { return !deadline->expired; },
        [deadline, h = std::forward<Handler>(handler)](error_code ec, const tcp::endpoint&) mutable {
            if (ec && deadline->expired) ec = boost::beast::error::timeout;
            h(ec);
        });
}

template <class Handler>
void UpstreamStream::async_handshake(Handler&& handler) {
    auto attempt = [this](bool) { return try_handshake(); };
    start<Handler>(std::move(attempt), std::forward<Handler>(handler));
}

template <class MutableBuffers, class Handler>
void UpstreamStream::async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    // The first non-empty buffer: Beast and the tunnel pass one.
    char* data = nullptr;
    std::size_t size = 0;
    for (boost::asio::mutable_buffer b : boost::beast::buffers_range_ref(buffers)) {
        if (b.size() == 0) continue;
        data = static_cast<char*>(b.data());
        size = b.size();
        break;
    }
    auto attempt = [this, data, size](bool) { return try_read(data, size); };
    start<Handler>(std::move(attempt), std::forward<Handler>(handler));
}

template <class Handler>
void UpstreamStream::async_wait_readable(Handler&& handler) {
    auto attempt = [this](bool after_wait) { return after_wait ? Outcome{} : try_readable(); };
    start<Handler>(std::move(attempt), std::forward<Handler>(handler));
}

template <class Handler>
void UpstreamStream::async_wait_for(Want want, Handler&& handler) {
    auto attempt = [want](bool after_wait) { return after_wait ? Outcome{} : Outcome{want, {}, 0}; };
    start<Handler>(std::move(attempt), std::forward<Handler>(handler));
}

template <class Handler>
void UpstreamStream::async_fill(Handler&& handler) {
    // The buffer outlives the read: it belongs to this stream, which the
    // handler's owner keeps.
    ReadBuffer* rb = rbuf_.get();
    socket_.async_read_some(boost::asio::buffer(rb->data),
                            [rb, h = std::forward<Handler>(handler)](error_code ec, std::size_t n) mutable {
                                rb->pos = 0;
                                rb->end = ec ? 0 : n;
                                h(ec, n);
                            });
}

template <class ConstBuffers, class Handler>
void UpstreamStream::async_write_some(const ConstBuffers& buffers, Handler&& handler) {
    // A serialized head comes as many small buffers; gathered, they go out
    // as one TLS record and one send instead of one each.
    constexpr std::size_t kGather = 16 * 1024;
    const char* data = nullptr;
    std::size_t size = 0;
    std::string gathered;
    for (boost::asio::const_buffer b : boost::beast::buffers_range_ref(buffers)) {
        if (b.size() == 0) continue;
        if (data == nullptr) {
            data = static_cast<const char*>(b.data());
            size = b.size();
            if (size >= kGather) break;
            continue;
        }
        if (gathered.empty()) gathered.assign(data, size);
        const std::size_t take = std::min(b.size(), kGather - gathered.size());
        gathered.append(static_cast<const char*>(b.data()), take);
        if (gathered.size() >= kGather) break;
    }
    auto attempt = [this, data, size, gathered = std::move(gathered)](bool) {
        return gathered.empty() ? try_write(data, size) : try_write(gathered.data(), gathered.size());
    };
    start<Handler>(std::move(attempt), std::forward<Handler>(handler));
}

}  // namespace aks::proxy
