#include "local-proxy/h2_pool.h"

#include <algorithm>

namespace aks::proxy {
namespace {

// Decrypted bytes, one TLS record's worth at a time (the connection's own
// buffer holds the ciphertext).
constexpr std::size_t kReadBuffer = 16 * 1024;

}  // namespace

H2Pool::H2Pool(net::io_context&, const ProxyContext& ctx, UpstreamPool& pool)
    : ctx_(ctx), pool_(pool), read_buffer_(kReadBuffer) {}

H2Pool::~H2Pool() {
    for (const auto& w : all_)
        if (auto c = w.lock()) c->abandon();
}

std::shared_ptr<H2Connection> H2Pool::find() {
    // Closed or going-away connections leave the pool; their open streams
    // keep them alive until those end.
    conns_.erase(std::remove_if(conns_.begin(), conns_.end(),
                                [](const auto& c) { return c->closed() || c->going_away(); }),
                 conns_.end());
    for (const auto& c : conns_)
        if (c->can_take_stream()) return c;
    return nullptr;
}

void H2Pool::connect(Handler done) {
    if (http1_) {
        // HTTP/1.1 expected: one dial per request, as HTTP/1.1 needs (it may
        // still come back as h2).
        return pool_.connect(
            [this, done = std::move(done)](beast::error_code ec, std::unique_ptr<UpstreamConn> conn) mutable {
                if (ec) return done(ec, nullptr, nullptr);
                if (!conn->h2) return done(ec, nullptr, std::move(conn));
                http1_ = false;
                done(ec, adopt(std::move(conn)), nullptr);
            },
            true);
    }
    waiting_.push_back(std::move(done));
    if (dialing_) return;  // one dial for everyone waiting
    dialing_ = true;
    pool_.connect([this](beast::error_code ec, std::unique_ptr<UpstreamConn> conn) { on_connect(ec, std::move(conn)); },
                  true);
}

std::shared_ptr<H2Connection> H2Pool::adopt(std::unique_ptr<UpstreamConn> conn) {
    auto c = std::make_shared<H2Connection>(std::move(conn), ctx_, read_buffer_);
    c->start();
    conns_.push_back(c);
    all_.erase(std::remove_if(all_.begin(), all_.end(), [](const auto& w) { return w.expired(); }), all_.end());
    all_.push_back(c);
    return c;
}

void H2Pool::on_connect(beast::error_code ec, std::unique_ptr<UpstreamConn> conn) {
    dialing_ = false;
    auto waiting = std::move(waiting_);
    waiting_.clear();
    if (ec) {
        // Everyone who waited for this dial learns of its failure.
        for (auto& w : waiting) w(ec, nullptr, nullptr);
        return;
    }
    if (!conn->h2) {
        http1_ = true;
        Handler first = std::move(waiting.front());
        waiting.pop_front();
        first(ec, nullptr, std::move(conn));
        for (auto& w : waiting) connect(std::move(w));  // each dials its own
        return;
    }
    auto c = adopt(std::move(conn));
    // Each waiter submits its stream in its handler, so the connection's
    // room is up to date for the next one.
    for (auto& w : waiting) {
        if (c->can_take_stream())
            w(ec, c, nullptr);
        else
            connect(std::move(w));
    }
}

}  // namespace aks::proxy
