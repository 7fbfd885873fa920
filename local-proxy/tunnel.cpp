#include "local-proxy/tunnel.h"

#include <boost/asio/write.hpp>

namespace aks::proxy {

Tunnel::Tunnel(ClientStream&& client, beast::flat_buffer&& client_bytes, std::unique_ptr<UpstreamConn> upstream,
               ProxyContext& ctx, ConnectionSlot slot)
    : client_(std::move(client)),
      slot_(std::move(slot)),
      client_bytes_(std::move(client_bytes)),
      up_(std::move(upstream)),
      ctx_(ctx),
      to_upstream_(ctx.limits.chunk * 4),
      to_client_(ctx.limits.chunk * 4),
      idle_timer_(client_.get_executor()) {}

void Tunnel::run() {
    // Silence is normal in a shell or a port-forward: the idle timer below is
    // the only deadline, so the per-operation ones are switched off.
    client_.expires_never();
    up_->stream.expires_never();
    up_->stream.keep_buffers();
    last_activity_ = std::chrono::steady_clock::now();
    arm_idle_timer();

    // Bytes that arrived with the heads go first, in each direction.
    if (up_->buffer.size() > 0) {
        net::async_write(client_, up_->buffer.data(),
                         [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                             self->up_->buffer.consume(n);
                             self->on_write_client(ec, 0);
                         });
    } else {
        do_read_upstream();
    }
    if (client_bytes_.size() > 0) {
        net::async_write(up_->stream, client_bytes_.data(),
                         [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                             self->client_bytes_.consume(n);
                             self->on_write_upstream(ec, 0);
                         });
    } else {
        do_read_client();
    }
}

void Tunnel::do_read_client() {
    if (closed_) return;
    client_.async_read_some(net::buffer(to_upstream_),
                            beast::bind_front_handler(&Tunnel::on_read_client, shared_from_this()));
}

void Tunnel::on_read_client(beast::error_code ec, std::size_t bytes) {
    if (ec) return close(ec, "client");
    last_activity_ = std::chrono::steady_clock::now();
    net::async_write(up_->stream, net::buffer(to_upstream_.data(), bytes),
                     beast::bind_front_handler(&Tunnel::on_write_upstream, shared_from_this()));
}

void Tunnel::on_write_upstream(beast::error_code ec, std::size_t) {
    if (ec) return close(ec, "upstream write");
    do_read_client();
}

void Tunnel::do_read_upstream() {
    if (closed_) return;
    up_->stream.async_read_some(net::buffer(to_client_),
                                beast::bind_front_handler(&Tunnel::on_read_upstream, shared_from_this()));
}

void Tunnel::on_read_upstream(beast::error_code ec, std::size_t bytes) {
    if (ec) return close(ec, "upstream");
    last_activity_ = std::chrono::steady_clock::now();
    net::async_write(client_, net::buffer(to_client_.data(), bytes),
                     beast::bind_front_handler(&Tunnel::on_write_client, shared_from_this()));
}

void Tunnel::on_write_client(beast::error_code ec, std::size_t) {
    if (ec) return close(ec, "client write");
    do_read_upstream();
}

void Tunnel::arm_idle_timer() {
    idle_timer_.expires_at(last_activity_ + ctx_.limits.stream_idle);
    idle_timer_.async_wait(beast::bind_front_handler(&Tunnel::on_idle_timer, shared_from_this()));
}

void Tunnel::on_idle_timer(beast::error_code ec) {
    if (ec || closed_) return;  // cancelled: the tunnel closed
    if (std::chrono::steady_clock::now() - last_activity_ >= ctx_.limits.stream_idle)
        return close(beast::error::timeout, "idle");
    arm_idle_timer();
}

// Every byte read from one side was written to the other before the next read,
// so a close or failure on either side ends the tunnel with nothing lost in between.
void Tunnel::close(const beast::error_code& ec, const char* where) {
    if (closed_) return;
    closed_ = true;
    note_failure(ctx_, ec, where);
    idle_timer_.cancel();
    beast::error_code ignored;  // either socket may already be closed by the peer
    client_.socket().shutdown(net::socket_base::shutdown_both, ignored);
    client_.close();
    up_->stream.close();
}

}  // namespace aks::proxy
