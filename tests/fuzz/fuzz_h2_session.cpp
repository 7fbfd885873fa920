// aks-proxy's HTTP/2 session (local-proxy/h2_session) reading whatever the
// API server sends: two requests are in flight (a GET, a POST with a body),
// the input is the server's bytes, fed in pieces whose size the first byte
// picks, with the client's output taken and received data consumed in
// between. Whatever the bytes, each stream's handler sees at most one head
// (never an informational one), data only after the head, at most one end
// and nothing after it; a complete end comes only after a head; once the
// connection is given up every stream has ended and none is left open.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "local-proxy/h2_session.h"

namespace {

using aks::proxy::H2BodyChunk;
using aks::proxy::H2End;
using aks::proxy::H2Field;
using aks::proxy::H2Session;

void check(bool ok) {
    if (!ok) std::abort();
}

struct Checker : aks::proxy::H2StreamHandler {
    int heads = 0, ends = 0;
    std::size_t body_left = 40000;  // the POST's request body
    std::size_t unconsumed = 0;

    void on_h2_head(int status, const std::vector<H2Field>& fields, bool) override {
        check(ends == 0 && heads == 0);
        check(status >= 200 && status <= 599);
        for (const auto& [name, value] : fields) check(!name.empty() && name.size() + value.size() < 1 << 20);
        ++heads;
    }
    std::size_t on_h2_data(const char*, std::size_t size) override {
        check(ends == 0 && heads == 1);
        unconsumed += size;
        return size % 2 ? size : 0;  // some taken at once, some consumed later
    }
    void on_h2_end(const H2End& end) override {
        check(ends == 0);
        check(!end.complete || heads == 1);
        ++ends;
    }
    H2BodyChunk on_h2_body(char* buf, std::size_t size) override {
        check(ends == 0);
        H2BodyChunk c;
        c.size = std::min(size, body_left);
        for (std::size_t i = 0; i < c.size; ++i) buf[i] = 'b';
        body_left -= c.size;
        c.eof = body_left == 0;
        return c;
    }
};

std::vector<H2Field> request(const char* method, const char* path) {
    return {{":method", method}, {":scheme", "https"}, {":authority", "api.example:443"}, {":path", path},
            {"authorization", "Bearer fuzz"}};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t piece = 1 + data[0];
    ++data;
    --size;

    H2Session::Settings settings;
    settings.stream_window = 16 * 1024;
    settings.header_limit = 8 * 1024;
    H2Session session(settings);
    auto get = std::make_shared<Checker>();
    auto post = std::make_shared<Checker>();
    const std::int32_t get_id = session.submit(request("GET", "/api/v1/pods"), false, get);
    const std::int32_t post_id = session.submit(request("POST", "/api/v1/namespaces/default/pods"), true, post);
    check(get_id > 0 && post_id > 0);

    std::string out;
    bool alive = session.take_output(out, 1 << 16);
    for (std::size_t at = 0; alive && at < size; at += piece) {
        const std::size_t n = std::min(piece, size - at);
        alive = session.receive(reinterpret_cast<const char*>(data) + at, n);
        for (auto* c : {get.get(), post.get()}) {
            if (c->unconsumed > 0 && c->ends == 0) session.consume(c == get.get() ? get_id : post_id, c->unconsumed);
            c->unconsumed = 0;
        }
        out.clear();
        if (alive) alive = session.take_output(out, 1 << 16);
    }
    session.fail_all();
    check(get->ends == 1 && post->ends == 1);
    check(session.open_streams() == 0);
    check(!session.can_take_stream());
    return 0;
}
