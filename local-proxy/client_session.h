#pragma once
// A client connection between requests: waits for the next request (idle
// deadline), reads its head (request_head.h: the whole head bounded in bytes,
// fields and time), admits or refuses it (admission.h), answers /healthz and
// refusals itself, and hands admitted requests to an Exchange. The Exchange
// calls back when it is done so keep-alive continues here.
#include <memory>
#include <optional>

#include "local-proxy/admission.h"
#include "local-proxy/engine_types.h"
#include "local-proxy/local_reply.h"
#include "local-proxy/request_head.h"
#include "local-proxy/upstream_pool.h"

namespace aks::proxy {

using RequestParser = http::request_parser<http::buffer_body>;

class ClientSession : public std::enable_shared_from_this<ClientSession> {
public:
    ClientSession(ClientStream&& stream, ConnectionSlot slot, UpstreamPool& pool, ProxyContext& ctx);
    void run();

    // For the Exchange that owns the current request.
    ClientStream& stream() { return stream_; }
    beast::flat_buffer& buffer() { return buffer_; }
    RequestParser& parser() { return *parser_; }
    // The request was read whole (also once dropped).
    bool request_done() const { return !parser_ || parser_->is_done(); }
    // A watch's request, read whole and answered, is not needed again (nor
    // its token): thousands of open watches hold no parser.
    void drop_request() { parser_.reset(); }
    // The exchange finished; keep_alive: the connection may carry another request.
    void exchange_done(bool keep_alive);
    // The exchange could not answer before writing anything: answer locally, then close.
    void reply_and_close(LocalResponse res, const char* note);
    // After an upgrade the tunnel takes the stream and the bytes already read.
    ClientStream release_stream() { return std::move(stream_); }
    ConnectionSlot release_slot() { return std::move(slot_); }
    // The current request's access record (method, and the path with the
    // launch secret left out) for the exchange to complete and log; null
    // with the access log off.
    AccessRecord* record() { return record_.get(); }

private:
    void do_wait();
    void on_wait(beast::error_code ec, std::size_t bytes);
    void start_head();
    void continue_head();
    void on_head_bytes(beast::error_code ec, std::size_t bytes);
    void admit();
    void refuse_head_bytes(Admission refusal);
    // Starts the request's access record, only with the access log on: with
    // --quiet an idle watch holds no record and no copy of its path.
    void note_request(std::string_view method, std::string_view path);
    void log_now(const char* note);
    void finish_admission(Admission a);
    void do_reply(LocalResponse res, const char* note);
    void on_reply(bool close, beast::error_code ec, std::size_t bytes);
    void do_close();
    void do_linger();
    void on_linger(beast::error_code ec, std::size_t bytes);

    ClientStream stream_;
    ConnectionSlot slot_;
    beast::flat_buffer buffer_;
    std::optional<HeadScanner> scanner_;
    std::unique_ptr<RequestParser> parser_;
    std::unique_ptr<LocalResponse> local_;  // a refusal or /healthz, kept alive until its write completes
    std::unique_ptr<AccessRecord> record_;
    std::chrono::steady_clock::time_point started_;
    std::size_t lingered_ = 0;
    UpstreamPool& pool_;
    ProxyContext& ctx_;
};

}  // namespace aks::proxy
