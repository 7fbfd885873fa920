#pragma once
// The protocol state of one HTTP/2 connection to the API server (libnghttp2's
// client session), without any I/O: bytes read from the connection go in
// (receive), bytes to write come out (take_output), and each stream reports
// its response to its handler. H2Connection drives it over the TLS stream;
// the unit tests drive it against an nghttp2 server in memory.
//
// Flow control is tied to the clients: a stream's window (SETTINGS
// INITIAL_WINDOW_SIZE) reopens only as its handler calls consume() for bytes
// the client has taken, so a slow client holds at most one window of its own
// data here; the connection window is returned as soon as bytes arrive (they
// then belong to their stream), so a stalled stream never stalls the others.
// client-go returns both only as the body is read, with a 1 GiB connection
// window that seldom runs dry (golang.org/x/net/http2/transport.go,
// transportDefaultConnFlow and transportResponseBody.Read).
#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace aks::proxy {

// A header field, viewed: the bytes belong to the caller (requests) or to the
// session for the duration of a callback (responses).
using H2Field = std::pair<std::string_view, std::string_view>;

// How a stream ended, as its handler learns it.
struct H2End {
    bool complete = false;   // the whole response arrived (END_STREAM)
    std::uint32_t code = 0;  // RST_STREAM / GOAWAY error code, when not complete
    // The server did not process the request (REFUSED_STREAM, a stream above
    // a GOAWAY's last stream id, or the connection lost before the request
    // was sent): it may be sent again on another connection.
    bool retryable = false;
    bool connection_lost = false;
};

// What the request body source gives when asked for bytes.
struct H2BodyChunk {
    std::size_t size = 0;  // bytes copied
    bool eof = false;      // the body ends after these bytes
    bool wait = false;     // nothing now: call H2Session::resume_body when there is
};

class H2StreamHandler {
public:
    virtual ~H2StreamHandler() = default;
    // The final response head (informational 1xx heads are not reported);
    // `fields` are valid during the call; `ended`: no body follows (END_STREAM).
    virtual void on_h2_head(int status, const std::vector<H2Field>& fields, bool ended) = 0;
    // Response body bytes, valid during the call. Returns how many of them
    // the client already has (written through at once): their window reopens
    // now; the rest are to be consume()d once the client has them.
    virtual std::size_t on_h2_data(const char* data, std::size_t size) = 0;
    // The stream is over; no more calls follow.
    virtual void on_h2_end(const H2End& end) = 0;
    // Up to `size` request body bytes into `buf` (streams submitted with a body).
    virtual H2BodyChunk on_h2_body(char* buf, std::size_t size) = 0;
};

class H2Session {
public:
    struct Settings {
        std::uint32_t stream_window = 1u << 20;       // per stream: what one slow client may hold here
        std::uint32_t connection_window = 16u << 20;  // returned at once, so only a throughput bound
        std::uint32_t header_limit = 256 * 1024;      // response head bytes
    };

    explicit H2Session(const Settings& settings);  // throws std::bad_alloc
    ~H2Session();
    H2Session(const H2Session&) = delete;
    H2Session& operator=(const H2Session&) = delete;

    // A request: pseudo-header fields first. With `has_body` the handler's
    // on_h2_body supplies DATA until it reports eof. The session keeps the
    // handler until the stream ends. Returns the stream id, or 0 when this
    // connection cannot take it (see can_take_stream).
    std::int32_t submit(const std::vector<H2Field>& fields, bool has_body, std::shared_ptr<H2StreamHandler> handler);
    // Below the server's SETTINGS_MAX_CONCURRENT_STREAMS, no GOAWAY received,
    // stream ids left, not failed.
    bool can_take_stream() const;
    std::size_t open_streams() const { return streams_.size(); }
    std::uint32_t peer_max_streams() const;

    // The client took `bytes` of the stream's body: its window reopens.
    void consume(std::int32_t stream_id, std::size_t bytes);
    // The handler has request body bytes again (after a wait).
    void resume_body(std::int32_t stream_id);
    // RST_STREAM(CANCEL); the handler hears nothing more.
    void cancel(std::int32_t stream_id);

    // Bytes read from the connection. False: a protocol error, the
    // connection must close (call fail_all after writing any GOAWAY).
    bool receive(const char* data, std::size_t size);
    // Appends what is ready to be written (at most about `limit` bytes).
    bool take_output(std::string& out, std::size_t limit);
    bool wants_write() const;
    // Nothing more will be read or written (GOAWAY exchanged and no stream
    // left, or a fatal error).
    bool finished() const;
    bool goaway_received() const { return goaway_received_; }

    // A PING (health check); false when the previous one is still unanswered.
    bool ping();
    bool ping_outstanding() const { return ping_outstanding_; }
    // GOAWAY(NO_ERROR): no new streams; the open ones finish.
    void shutdown();
    // The connection is gone: every stream ends (connection_lost).
    void fail_all();
    // Shutdown, the event loop stopped: the handlers are let go, unheard
    // (they hold the connection that holds them).
    void abandon();

private:
    struct Stream {
        std::shared_ptr<H2StreamHandler> handler;
        bool headers_sent = false;
        bool remote_ended = false;
        bool head_seen = false;
        int status = 0;
        // The response head as it arrives: names and values one after the
        // other in one buffer, and where each starts (two allocations per
        // head, not two per field); none once the head is out (an idle
        // watch's stream is small).
        struct Head {
            std::string bytes;
            std::vector<std::uint32_t> marks;
            std::size_t size = 0;  // as RFC 9113 6.5.2 counts it
        };
        std::unique_ptr<Head> head;
    };

    static int on_begin_headers(nghttp2_session*, const nghttp2_frame*, void*);
    static int on_header(nghttp2_session*, const nghttp2_frame*, const uint8_t*, size_t, const uint8_t*, size_t,
                         uint8_t, void*);
    static int on_frame_recv(nghttp2_session*, const nghttp2_frame*, void*);
    static int on_frame_send(nghttp2_session*, const nghttp2_frame*, void*);
    static int on_data_chunk(nghttp2_session*, uint8_t, int32_t, const uint8_t*, size_t, void*);
    static int on_stream_close(nghttp2_session*, int32_t, uint32_t, void*);
    static ssize_t read_body(nghttp2_session*, int32_t, uint8_t*, size_t, uint32_t*, nghttp2_data_source*, void*);

    Stream* find(std::int32_t stream_id);
    // Endings found inside nghttp2's callbacks are reported once it returns,
    // so a handler may submit, consume or cancel from on_h2_end.
    void report_endings();

    Settings settings_;
    nghttp2_session* session_ = nullptr;
    std::unordered_map<std::int32_t, Stream> streams_;
    std::vector<std::pair<std::shared_ptr<H2StreamHandler>, H2End>> endings_;
    std::vector<std::pair<std::int32_t, std::size_t>> consumed_now_;  // on_h2_data's, applied after mem_recv
    std::size_t unconsumed_connection_ = 0;
    bool goaway_received_ = false;
    bool failed_ = false;
    bool ping_outstanding_ = false;
};

}  // namespace aks::proxy
