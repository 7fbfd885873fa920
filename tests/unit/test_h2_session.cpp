// H2Session (local-proxy/h2_session) against a libnghttp2 server session in
// memory: requests, flow control tied to consume(), GOAWAY, RST_STREAM,
// SETTINGS_MAX_CONCURRENT_STREAMS, lost connections, request bodies.
#include <catch2/catch.hpp>

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "local-proxy/h2_session.h"

namespace {

using aks::proxy::H2BodyChunk;
using aks::proxy::H2End;
using aks::proxy::H2Field;
using aks::proxy::H2Session;
using aks::proxy::H2StreamHandler;
using Owned = std::pair<std::string, std::string>;

// The server end: records requests, answers when the test says so.
class Server {
public:
    struct Request {
        std::map<std::string, std::string> headers;
        std::vector<Owned> fields;  // in order, pseudo-headers included
        std::string body;
        bool ended = false;
        std::uint32_t closed_with = ~0u;
        std::string out;  // response body left to send
        std::size_t out_pos = 0;
        bool more = false;  // keep the body open (deferred) when `out` runs dry
    };

    explicit Server(std::uint32_t max_streams = 100) {
        nghttp2_session_callbacks* cbs = nullptr;
        nghttp2_session_callbacks_new(&cbs);
        nghttp2_session_callbacks_set_on_header_callback(
            cbs, [](nghttp2_session*, const nghttp2_frame* f, const uint8_t* n, size_t nl, const uint8_t* v, size_t vl,
                    uint8_t, void* p) {
                auto& r = static_cast<Server*>(p)->requests[f->hd.stream_id];
                std::string name(reinterpret_cast<const char*>(n), nl), value(reinterpret_cast<const char*>(v), vl);
                r.fields.emplace_back(name, value);
                r.headers[name] += r.headers.count(name) && !r.headers[name].empty() ? "|" + value : value;
                return 0;
            });
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(
            cbs, [](nghttp2_session*, uint8_t, int32_t id, const uint8_t* d, size_t len, void* p) {
                static_cast<Server*>(p)->requests[id].body.append(reinterpret_cast<const char*>(d), len);
                return 0;
            });
        nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, [](nghttp2_session*, const nghttp2_frame* f, void* p) {
            if ((f->hd.type == NGHTTP2_HEADERS || f->hd.type == NGHTTP2_DATA) && (f->hd.flags & NGHTTP2_FLAG_END_STREAM))
                static_cast<Server*>(p)->requests[f->hd.stream_id].ended = true;
            return 0;
        });
        nghttp2_session_callbacks_set_on_stream_close_callback(cbs, [](nghttp2_session*, int32_t id, uint32_t code, void* p) {
            static_cast<Server*>(p)->requests[id].closed_with = code;
            return 0;
        });
        nghttp2_session_server_new(&session, cbs, this);
        nghttp2_session_callbacks_del(cbs);
        const nghttp2_settings_entry iv[] = {{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, max_streams}};
        nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, iv, 1);
    }
    ~Server() { nghttp2_session_del(session); }

    // Head, then `body` (all of it unless `more`).
    void respond(int32_t id, int status, std::string body, bool more = false, std::vector<Owned> extra = {}) {
        auto& r = requests[id];
        r.out = std::move(body);
        r.more = more;
        std::vector<Owned> fields{{":status", std::to_string(status)}};
        for (auto& f : extra) fields.push_back(f);
        std::vector<nghttp2_nv> nva;
        for (auto& f : fields)
            nva.push_back({reinterpret_cast<uint8_t*>(f.first.data()), reinterpret_cast<uint8_t*>(f.second.data()),
                           f.first.size(), f.second.size(), NGHTTP2_NV_FLAG_NONE});
        nghttp2_data_provider prd{};
        prd.source.ptr = &r;
        prd.read_callback = [](nghttp2_session*, int32_t, uint8_t* buf, size_t len, uint32_t* flags,
                               nghttp2_data_source* src, void*) -> ssize_t {
            auto* req = static_cast<Request*>(src->ptr);
            const std::size_t n = std::min(len, req->out.size() - req->out_pos);
            std::memcpy(buf, req->out.data() + req->out_pos, n);
            req->out_pos += n;
            if (n == 0 && req->more) return NGHTTP2_ERR_DEFERRED;
            if (req->out_pos == req->out.size() && !req->more) *flags |= NGHTTP2_DATA_FLAG_EOF;
            return static_cast<ssize_t>(n);
        };
        nghttp2_submit_response(session, id, nva.data(), nva.size(), &prd);
    }
    void more_body(int32_t id, const std::string& data, bool last) {
        auto& r = requests[id];
        r.out += data;
        r.more = !last;
        nghttp2_session_resume_data(session, id);
    }
    void informational(int32_t id, int status) {
        std::string s = ":status", v = std::to_string(status);
        nghttp2_nv nva{reinterpret_cast<uint8_t*>(s.data()), reinterpret_cast<uint8_t*>(v.data()), s.size(), v.size(),
                       NGHTTP2_NV_FLAG_NONE};
        nghttp2_submit_headers(session, NGHTTP2_FLAG_NONE, id, nullptr, &nva, 1, nullptr);
    }

    nghttp2_session* session = nullptr;
    std::map<int32_t, Request> requests;
};

// A stream handler that records what it is told; consumes only on demand.
struct Recorder : H2StreamHandler {
    int status = 0;
    std::vector<Owned> head;
    bool head_ended = false;
    std::string data;
    std::size_t unconsumed = 0;
    bool ended = false;
    H2End end;
    // Request body source: `body` given in pieces of at most `piece`, then
    // wait until more is appended, eof once `body_done`.
    std::string body;
    std::size_t body_pos = 0, piece = 1 << 20;
    bool body_done = true;

    void on_h2_head(int s, const std::vector<H2Field>& f, bool ended) override {
        status = s;
        for (const auto& [n, v] : f) head.emplace_back(n, v);
        head_ended = ended;
    }
    std::size_t on_h2_data(const char* d, std::size_t n) override {
        data.append(d, n);
        if (take_at_once) return n;
        unconsumed += n;
        return 0;
    }
    bool take_at_once = false;  // the client took the bytes as they came
    void on_h2_end(const H2End& e) override {
        ended = true;
        end = e;
    }
    H2BodyChunk on_h2_body(char* buf, std::size_t size) override {
        H2BodyChunk c;
        c.size = std::min({size, piece, body.size() - body_pos});
        std::memcpy(buf, body.data() + body_pos, c.size);
        body_pos += c.size;
        c.eof = body_done && body_pos == body.size();
        c.wait = !c.eof && c.size == 0;
        return c;
    }
};

// Moves bytes both ways until neither side has anything to send.
void pump(H2Session& client, Server& server) {
    for (int round = 0; round < 1000; ++round) {
        std::string out;
        REQUIRE(client.take_output(out, 1 << 20));
        if (!out.empty())
            REQUIRE(nghttp2_session_mem_recv(server.session, reinterpret_cast<const uint8_t*>(out.data()), out.size()) ==
                    static_cast<ssize_t>(out.size()));
        std::string back;
        for (;;) {
            const uint8_t* d = nullptr;
            const ssize_t n = nghttp2_session_mem_send(server.session, &d);
            REQUIRE(n >= 0);
            if (n == 0) break;
            back.append(reinterpret_cast<const char*>(d), static_cast<std::size_t>(n));
        }
        if (!back.empty()) REQUIRE(client.receive(back.data(), back.size()));
        if (out.empty() && back.empty()) return;
    }
    FAIL("pump did not settle");
}

std::vector<H2Field> get(std::string_view path) {  // a literal: the fields view it
    return {{":method", "GET"}, {":scheme", "https"}, {":authority", "api.example:443"}, {":path", path},
            {"authorization", "Bearer t"}};
}

H2Session::Settings small_windows() {
    H2Session::Settings s;
    s.stream_window = 16 * 1024;
    s.connection_window = 65535;  // the protocol's initial value: no extra
    return s;
}

}  // namespace

TEST_CASE("h2 session: a request goes out as given and its response comes back whole") {
    Server server;
    H2Session client({});
    auto rec = std::make_shared<Recorder>();
    const int32_t id = client.submit(get("/api/v1/pods"), false, rec);
    REQUIRE(id == 1);
    pump(client, server);
    auto& req = server.requests[id];
    CHECK(req.ended);
    CHECK(req.headers[":path"] == "/api/v1/pods");
    CHECK(req.headers[":authority"] == "api.example:443");
    CHECK(req.headers["authorization"] == "Bearer t");
    REQUIRE(req.fields.size() == 5);
    CHECK(req.fields[0].first == ":method");

    server.respond(id, 200, "{\"items\":[]}", false, {{"content-type", "application/json"}});
    pump(client, server);
    CHECK(rec->status == 200);
    REQUIRE(rec->head.size() == 1);
    CHECK(rec->head[0] == Owned{"content-type", "application/json"});
    CHECK_FALSE(rec->head_ended);
    CHECK(rec->data == "{\"items\":[]}");
    CHECK(rec->ended);
    CHECK(rec->end.complete);
    CHECK(client.open_streams() == 0);
}

TEST_CASE("h2 session: informational heads are not reported") {
    Server server;
    H2Session client({});
    auto rec = std::make_shared<Recorder>();
    const int32_t id = client.submit(get("/x"), false, rec);
    pump(client, server);
    server.informational(id, 103);
    pump(client, server);
    CHECK(rec->status == 0);
    server.respond(id, 204, "");
    pump(client, server);
    CHECK(rec->status == 204);
    CHECK(rec->data.empty());
    CHECK(rec->end.complete);
}

TEST_CASE("h2 session: a stream's window reopens only as its client consumes, other streams keep flowing") {
    Server server;
    H2Session client(small_windows());
    auto slow = std::make_shared<Recorder>();
    auto fast = std::make_shared<Recorder>();
    const int32_t a = client.submit(get("/slow"), false, slow);
    const int32_t b = client.submit(get("/fast"), false, fast);
    pump(client, server);
    const std::string big(200 * 1024, 's');
    server.respond(a, 200, big);
    server.respond(b, 200, "", true);
    pump(client, server);
    // The slow client took nothing: exactly one stream window of its data is here.
    CHECK(slow->data.size() == 16 * 1024);
    CHECK_FALSE(slow->ended);

    // Far more than the connection's 64 KiB window flows on the other stream
    // while the slow one stays stalled.
    for (int i = 0; i < 40; ++i) {
        server.more_body(b, std::string(8 * 1024, 'f'), i == 39);
        pump(client, server);
        client.consume(b, fast->unconsumed);
        fast->unconsumed = 0;
        pump(client, server);
    }
    CHECK(fast->data.size() == 40 * 8 * 1024);
    CHECK(fast->end.complete);
    CHECK(slow->data.size() == 16 * 1024);

    // Consuming lets the rest of the slow stream through.
    while (!slow->ended) {
        const std::size_t before = slow->data.size();
        client.consume(a, slow->unconsumed);
        slow->unconsumed = 0;
        pump(client, server);
        REQUIRE(slow->data.size() > before);
    }
    CHECK(slow->data == big);
    CHECK(slow->end.complete);
}

TEST_CASE("h2 session: bytes a client took as they came reopen the window at once") {
    Server server;
    H2Session client(small_windows());
    auto rec = std::make_shared<Recorder>();
    rec->take_at_once = true;
    const int32_t id = client.submit(get("/list"), false, rec);
    pump(client, server);
    const std::string big(200 * 1024, 'b');
    server.respond(id, 200, big);
    pump(client, server);
    CHECK(rec->data == big);
    CHECK(rec->end.complete);
}

TEST_CASE("h2 session: SETTINGS_MAX_CONCURRENT_STREAMS bounds the streams a connection takes") {
    Server server(2);
    H2Session client({});
    pump(client, server);  // the server's SETTINGS arrive
    CHECK(client.peer_max_streams() == 2);
    auto r1 = std::make_shared<Recorder>(), r2 = std::make_shared<Recorder>(), r3 = std::make_shared<Recorder>();
    const int32_t a = client.submit(get("/1"), false, r1);
    CHECK(client.submit(get("/2"), false, r2) > 0);
    CHECK_FALSE(client.can_take_stream());
    CHECK(client.submit(get("/3"), false, r3) == 0);
    pump(client, server);
    server.respond(a, 200, "one");
    pump(client, server);
    CHECK(r1->end.complete);
    CHECK(client.can_take_stream());
}

TEST_CASE("h2 session: GOAWAY lets streams up to its last id finish and refuses the rest") {
    Server server;
    H2Session client({});
    auto kept = std::make_shared<Recorder>(), refused = std::make_shared<Recorder>();
    const int32_t a = client.submit(get("/kept"), false, kept);
    const int32_t b = client.submit(get("/refused"), false, refused);
    pump(client, server);
    nghttp2_submit_goaway(server.session, NGHTTP2_FLAG_NONE, a, NGHTTP2_NO_ERROR, nullptr, 0);
    pump(client, server);
    CHECK(client.goaway_received());
    CHECK_FALSE(client.can_take_stream());
    CHECK(refused->ended);
    CHECK(refused->end.retryable);
    CHECK_FALSE(refused->end.complete);
    CHECK_FALSE(kept->ended);
    server.respond(a, 200, "done");
    pump(client, server);
    CHECK(kept->end.complete);
    CHECK(kept->data == "done");
    (void)b;
}

TEST_CASE("h2 session: RST_STREAM mid-body ends the stream incomplete, not retryable") {
    Server server;
    H2Session client({});
    auto rec = std::make_shared<Recorder>();
    const int32_t id = client.submit(get("/watch"), false, rec);
    pump(client, server);
    server.respond(id, 200, "{\"type\":\"ADDED\"}\n", true);
    pump(client, server);
    nghttp2_submit_rst_stream(server.session, NGHTTP2_FLAG_NONE, id, NGHTTP2_INTERNAL_ERROR);
    pump(client, server);
    CHECK(rec->status == 200);
    CHECK(rec->data == "{\"type\":\"ADDED\"}\n");
    CHECK(rec->ended);
    CHECK_FALSE(rec->end.complete);
    CHECK_FALSE(rec->end.retryable);
    CHECK(rec->end.code == NGHTTP2_INTERNAL_ERROR);
}

TEST_CASE("h2 session: a lost connection ends every stream, unsent requests may be retried") {
    Server server;
    H2Session client({});
    auto sent = std::make_shared<Recorder>(), unsent = std::make_shared<Recorder>();
    client.submit(get("/sent"), false, sent);
    pump(client, server);
    client.submit(get("/unsent"), false, unsent);
    client.fail_all();
    CHECK(sent->ended);
    CHECK(sent->end.connection_lost);
    CHECK_FALSE(sent->end.retryable);
    CHECK(unsent->end.retryable);
    CHECK_FALSE(client.can_take_stream());
    CHECK(client.finished());
}

TEST_CASE("h2 session: a cancelled stream is reset and its handler hears nothing more") {
    Server server;
    H2Session client({});
    auto rec = std::make_shared<Recorder>();
    const int32_t id = client.submit(get("/watch"), false, rec);
    pump(client, server);
    server.respond(id, 200, "x", true);
    pump(client, server);
    client.cancel(id);
    pump(client, server);
    CHECK(server.requests[id].closed_with == NGHTTP2_CANCEL);
    CHECK_FALSE(rec->ended);
    CHECK(client.open_streams() == 0);
}

TEST_CASE("h2 session: a request body flows as the source gives it, waits, and ends") {
    Server server;
    H2Session client({});
    auto rec = std::make_shared<Recorder>();
    rec->body = "first-";
    rec->body_done = false;
    std::vector<H2Field> fields = get("/apply");
    fields[0].second = "POST";
    const int32_t id = client.submit(fields, true, rec);
    pump(client, server);
    CHECK(server.requests[id].body == "first-");
    CHECK_FALSE(server.requests[id].ended);
    rec->body += "second";
    rec->body_done = true;
    client.resume_body(id);
    pump(client, server);
    CHECK(server.requests[id].body == "first-second");
    CHECK(server.requests[id].ended);
}

TEST_CASE("h2 session: a response head over the limit resets the stream") {
    Server server;
    H2Session::Settings s;
    s.header_limit = 1024;
    H2Session client(s);
    auto rec = std::make_shared<Recorder>();
    const int32_t id = client.submit(get("/big-head"), false, rec);
    pump(client, server);
    server.respond(id, 200, "", false, {{"x-big", std::string(2000, 'h')}});
    pump(client, server);
    CHECK(rec->ended);
    CHECK_FALSE(rec->end.complete);
    CHECK(rec->status == 0);
}

TEST_CASE("h2 session: a status outside 100..599 resets the stream instead of reaching the client") {
    // Found by fuzz_h2_session: nghttp2 checks only that :status has three digits.
    for (const char* bad : {"001", "099", "600", "999"}) {
        CAPTURE(bad);
        Server server;
        H2Session client({});
        auto rec = std::make_shared<Recorder>();
        const int32_t id = client.submit(get("/x"), false, rec);
        pump(client, server);
        std::string name = ":status", value = bad;
        nghttp2_nv nva{reinterpret_cast<uint8_t*>(name.data()), reinterpret_cast<uint8_t*>(value.data()), name.size(),
                       value.size(), NGHTTP2_NV_FLAG_NONE};
        nghttp2_submit_headers(server.session, NGHTTP2_FLAG_END_STREAM, id, nullptr, &nva, 1, nullptr);
        pump(client, server);
        CHECK(rec->status == 0);
        CHECK(rec->ended);
        CHECK_FALSE(rec->end.complete);
    }
}

TEST_CASE("h2 session: PING is answered and can be sent again") {
    Server server;
    H2Session client({});
    pump(client, server);
    CHECK(client.ping());
    CHECK_FALSE(client.ping());  // one outstanding at a time
    pump(client, server);
    CHECK_FALSE(client.ping_outstanding());
    CHECK(client.ping());
}
