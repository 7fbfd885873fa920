#include "local-proxy/h2_session.h"

#include <algorithm>
#include <new>

namespace aks::proxy {
namespace {

// A server that announces no limit gets the one client-go assumes
// (golang.org/x/net/http2/transport.go, defaultMaxConcurrentStreams).
constexpr std::uint32_t kMaxStreamsCap = 1000;
// Stream ids are 31 bits and never reused: a connection near the end takes no more.
constexpr std::int32_t kLastStreamId = 0x7fffffff - 2;

nghttp2_nv nv(const H2Field& f) {
    return {reinterpret_cast<uint8_t*>(const_cast<char*>(f.first.data())),
            reinterpret_cast<uint8_t*>(const_cast<char*>(f.second.data())), f.first.size(), f.second.size(),
            NGHTTP2_NV_FLAG_NONE};
}

H2Session& self_of(void* p) { return *static_cast<H2Session*>(p); }

}  // namespace

H2Session::H2Session(const Settings& settings) : settings_(settings) {
    nghttp2_session_callbacks* cbs = nullptr;
    if (nghttp2_session_callbacks_new(&cbs) != 0) throw std::bad_alloc();
    nghttp2_session_callbacks_set_on_begin_headers_callback(cbs, on_begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(cbs, on_header);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, on_frame_recv);
    nghttp2_session_callbacks_set_on_frame_send_callback(cbs, on_frame_send);
    nghttp2_session_callbacks_set_on_frame_not_send_callback(
        cbs, [](nghttp2_session*, const nghttp2_frame* frame, int, void* p) {
            // A request whose HEADERS never left (GOAWAY received, session
            // closing): the server never saw it.
            auto& self = self_of(p);
            if (frame->hd.type != NGHTTP2_HEADERS) return 0;
            auto it = self.streams_.find(frame->hd.stream_id);
            if (it == self.streams_.end()) return 0;
            H2End end;
            end.retryable = true;
            end.code = NGHTTP2_REFUSED_STREAM;
            self.endings_.emplace_back(std::move(it->second.handler), end);
            self.streams_.erase(it);
            return 0;
        });
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs, on_data_chunk);
    nghttp2_session_callbacks_set_on_stream_close_callback(cbs, on_stream_close);
    nghttp2_option* opt = nullptr;
    if (nghttp2_option_new(&opt) != 0) {
        nghttp2_session_callbacks_del(cbs);
        throw std::bad_alloc();
    }
    // Stream windows reopen only as clients take their bytes (consume).
    nghttp2_option_set_no_auto_window_update(opt, 1);
    const int rv = nghttp2_session_client_new2(&session_, cbs, this, opt);
    nghttp2_option_del(opt);
    nghttp2_session_callbacks_del(cbs);
    if (rv != 0) throw std::bad_alloc();
    // client-go's SETTINGS: no push, its stream window, a header list limit
    // (transport.go, newClientConn); ours are smaller (see the header).
    const nghttp2_settings_entry iv[] = {
        {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, settings_.stream_window},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, settings_.header_limit},
    };
    nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, iv, sizeof iv / sizeof iv[0]);
    nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0,
                                          static_cast<int32_t>(settings_.connection_window));
}

H2Session::~H2Session() { nghttp2_session_del(session_); }

H2Session::Stream* H2Session::find(std::int32_t stream_id) {
    auto it = streams_.find(stream_id);
    return it == streams_.end() ? nullptr : &it->second;
}

std::uint32_t H2Session::peer_max_streams() const {
    return std::min(nghttp2_session_get_remote_settings(session_, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS),
                    kMaxStreamsCap);
}

bool H2Session::can_take_stream() const {
    return !failed_ && !goaway_received_ && streams_.size() < peer_max_streams() &&
           static_cast<std::int32_t>(nghttp2_session_get_next_stream_id(session_)) < kLastStreamId;
}

std::int32_t H2Session::submit(const std::vector<H2Field>& fields, bool has_body,
                               std::shared_ptr<H2StreamHandler> handler) {
    if (!can_take_stream()) return 0;
    std::vector<nghttp2_nv> nva;
    nva.reserve(fields.size());
    for (const H2Field& f : fields) nva.push_back(nv(f));
    nghttp2_data_provider body{};
    body.read_callback = read_body;
    const std::int32_t id =
        nghttp2_submit_request(session_, nullptr, nva.data(), nva.size(), has_body ? &body : nullptr, nullptr);
    if (id <= 0) return 0;
    streams_[id].handler = std::move(handler);
    return id;
}

void H2Session::consume(std::int32_t stream_id, std::size_t bytes) {
    // Fails harmlessly for a stream that is already closed.
    if (bytes > 0) nghttp2_session_consume_stream(session_, stream_id, bytes);
}

void H2Session::resume_body(std::int32_t stream_id) { nghttp2_session_resume_data(session_, stream_id); }

void H2Session::cancel(std::int32_t stream_id) {
    if (streams_.erase(stream_id) == 0) return;
    if (!failed_) nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream_id, NGHTTP2_CANCEL);
}

bool H2Session::receive(const char* data, std::size_t size) {
    if (failed_) return false;
    const ssize_t rv = nghttp2_session_mem_recv(session_, reinterpret_cast<const uint8_t*>(data), size);
    if (rv < 0) {
        failed_ = true;
        return false;
    }
    if (unconsumed_connection_ > 0) {
        nghttp2_session_consume_connection(session_, unconsumed_connection_);
        unconsumed_connection_ = 0;
    }
    for (const auto& [id, bytes] : consumed_now_) nghttp2_session_consume_stream(session_, id, bytes);
    consumed_now_.clear();
    report_endings();
    return true;
}

bool H2Session::take_output(std::string& out, std::size_t limit) {
    if (failed_) return false;
    const std::size_t start = out.size();
    while (out.size() - start < limit) {
        const uint8_t* data = nullptr;
        const ssize_t n = nghttp2_session_mem_send(session_, &data);
        if (n < 0) {
            failed_ = true;
            report_endings();
            return false;
        }
        if (n == 0) break;
        out.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
    }
    report_endings();
    return true;
}

bool H2Session::wants_write() const { return !failed_ && nghttp2_session_want_write(session_) != 0; }

bool H2Session::finished() const {
    return failed_ || (nghttp2_session_want_read(session_) == 0 && nghttp2_session_want_write(session_) == 0);
}

bool H2Session::ping() {
    if (ping_outstanding_ || failed_) return false;
    if (nghttp2_submit_ping(session_, NGHTTP2_FLAG_NONE, nullptr) != 0) return false;
    ping_outstanding_ = true;
    return true;
}

void H2Session::fail_all() {
    failed_ = true;
    for (auto& [id, s] : streams_) {
        H2End end;
        end.connection_lost = true;
        end.retryable = !s.headers_sent;
        end.code = NGHTTP2_INTERNAL_ERROR;
        endings_.emplace_back(std::move(s.handler), end);
    }
    streams_.clear();
    report_endings();
}

void H2Session::abandon() {
    failed_ = true;
    streams_.clear();
    endings_.clear();
}

void H2Session::report_endings() {
    while (!endings_.empty()) {
        auto endings = std::move(endings_);
        endings_.clear();
        for (auto& [handler, end] : endings)
            if (handler) handler->on_h2_end(end);
    }
}

int H2Session::on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* p) {
    Stream* s = self_of(p).find(frame->hd.stream_id);
    if (s && !s->head_seen) {
        // A new head block (the first, or the final one after a 1xx).
        s->status = 0;
        s->head = std::make_unique<Stream::Head>();
        s->head->bytes.reserve(512);  // a typical API server head, in one allocation
        s->head->marks.reserve(32);
    }
    return 0;
}

int H2Session::on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name, size_t namelen,
                         const uint8_t* value, size_t valuelen, uint8_t, void* p) {
    auto& self = self_of(p);
    Stream* s = self.find(frame->hd.stream_id);
    if (!s || s->head_seen || !s->head) return 0;  // trailers are not relayed
    // RFC 9113 6.5.2's size: name + value + 32 per field.
    s->head->size += namelen + valuelen + 32;
    if (s->head->size > self.settings_.header_limit) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // → RST_STREAM
    if (namelen == 7 && std::equal(name, name + 7, reinterpret_cast<const uint8_t*>(":status"))) {
        int status = 0;
        for (size_t i = 0; i < valuelen; ++i) status = status * 10 + (value[i] - '0');  // nghttp2 checked: 3 digits
        // ... but not the range: "001" or "999" would become an HTTP/1.1
        // status line no client reads (RFC 9110 15: 100..599).
        if (status < 100 || status > 599) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // → RST_STREAM
        s->status = status;
        return 0;
    }
    auto& h = *s->head;
    h.marks.push_back(static_cast<std::uint32_t>(h.bytes.size()));
    h.bytes.append(reinterpret_cast<const char*>(name), namelen);
    h.marks.push_back(static_cast<std::uint32_t>(h.bytes.size()));
    h.bytes.append(reinterpret_cast<const char*>(value), valuelen);
    return 0;
}

int H2Session::on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* p) {
    auto& self = self_of(p);
    switch (frame->hd.type) {
    case NGHTTP2_GOAWAY:
        // Streams above last_stream_id are closed by nghttp2 with
        // REFUSED_STREAM (retryable); the others run to their end.
        self.goaway_received_ = true;
        return 0;
    case NGHTTP2_PING:
        if (frame->hd.flags & NGHTTP2_FLAG_ACK) self.ping_outstanding_ = false;
        return 0;
    case NGHTTP2_HEADERS:
    case NGHTTP2_DATA:
        break;
    default:
        return 0;
    }
    Stream* s = self.find(frame->hd.stream_id);
    if (!s) return 0;
    if (frame->hd.type == NGHTTP2_HEADERS && !s->head_seen) {
        if (s->status >= 100 && s->status < 200) {
            s->head.reset();  // informational: not relayed
        } else {
            s->head_seen = true;
            if (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) s->remote_ended = true;
            // Taken out of the stream first: the handler may end the stream
            // (and drop it from the map) inside.
            const std::unique_ptr<Stream::Head> head = std::move(s->head);
            static const Stream::Head kNone;
            const std::string& b = head ? head->bytes : kNone.bytes;
            const std::vector<std::uint32_t>& marks = head ? head->marks : kNone.marks;
            std::vector<H2Field> fields;
            fields.reserve(marks.size() / 2);
            for (std::size_t i = 0; i < marks.size(); i += 2) {
                const std::size_t name = marks[i], value = marks[i + 1];
                const std::size_t end = i + 2 < marks.size() ? marks[i + 2] : b.size();
                fields.emplace_back(std::string_view(b.data() + name, value - name),
                                    std::string_view(b.data() + value, end - value));
            }
            const std::shared_ptr<H2StreamHandler> handler = s->handler;
            handler->on_h2_head(s->status, fields, s->remote_ended);
            return 0;  // `s` may be gone
        }
    }
    if (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) s->remote_ended = true;
    return 0;
}

int H2Session::on_frame_send(nghttp2_session*, const nghttp2_frame* frame, void* p) {
    if (frame->hd.type != NGHTTP2_HEADERS) return 0;
    if (Stream* s = self_of(p).find(frame->hd.stream_id)) s->headers_sent = true;
    return 0;
}

int H2Session::on_data_chunk(nghttp2_session*, uint8_t, int32_t stream_id, const uint8_t* data, size_t len, void* p) {
    auto& self = self_of(p);
    self.unconsumed_connection_ += len;
    Stream* s = self.find(stream_id);
    if (!s) return 0;
    // The handler may end the stream (and drop itself from the map) inside.
    const std::shared_ptr<H2StreamHandler> handler = s->handler;
    const std::size_t taken = handler->on_h2_data(reinterpret_cast<const char*>(data), len);
    if (taken > 0) self.consumed_now_.emplace_back(stream_id, taken);
    return 0;
}

int H2Session::on_stream_close(nghttp2_session*, int32_t stream_id, uint32_t error_code, void* p) {
    auto& self = self_of(p);
    auto it = self.streams_.find(stream_id);
    if (it == self.streams_.end()) return 0;  // cancelled by us
    Stream& s = it->second;
    H2End end;
    end.complete = s.remote_ended && s.head_seen;
    end.code = end.complete ? 0u : (error_code != 0 ? error_code : static_cast<std::uint32_t>(NGHTTP2_INTERNAL_ERROR));
    end.retryable = !end.complete && (error_code == NGHTTP2_REFUSED_STREAM || !s.headers_sent);
    self.endings_.emplace_back(std::move(s.handler), end);
    self.streams_.erase(it);
    return 0;
}

ssize_t H2Session::read_body(nghttp2_session*, int32_t stream_id, uint8_t* buf, size_t length, uint32_t* flags,
                             nghttp2_data_source*, void* p) {
    Stream* s = self_of(p).find(stream_id);
    if (!s) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    const H2BodyChunk c = s->handler->on_h2_body(reinterpret_cast<char*>(buf), length);
    if (c.size == 0 && c.wait && !c.eof) return NGHTTP2_ERR_DEFERRED;
    if (c.eof) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(c.size);
}

}  // namespace aks::proxy
