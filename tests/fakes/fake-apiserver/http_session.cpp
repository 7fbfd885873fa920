#include "tests/fakes/fake-apiserver/http_session.h"

#include <boost/asio/write.hpp>

#include <sstream>

#include "tests/fakes/fake-apiserver/app.h"
#include "tests/fakes/fake-apiserver/chunked_stream.h"
#include "tests/fakes/fake-apiserver/fail.h"
#include "tests/fakes/fake-apiserver/limits.h"
#include "tests/fakes/fake-apiserver/pipeline.h"
#include "tests/fakes/fake-apiserver/responses.h"
#include "tests/fakes/fake-apiserver/status.h"

namespace aks::fake_apiserver {
namespace {

// A request we could not parse gets one error answer, then the connection closes.
std::optional<Reply> parse_error_reply(const beast::error_code& ec) {
  if (ec == http::error::header_limit)
    return text_reply(http::status::request_header_fields_too_large,
                      "431 Request Header Fields Too Large");
  if (ec == http::error::body_limit)
    return status_reply(failure_status(413, "RequestEntityTooLarge", "request body too large"));
  if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
      ec != http::error::partial_message)
    return status_reply(bad_request_status("malformed HTTP request: " + ec.message()));
  return std::nullopt;
}

}  // namespace

HttpSession::HttpSession(Stream&& stream, std::shared_ptr<App> app)
    : stream_(std::move(stream)), app_(std::move(app)) {}

void HttpSession::run() { do_read(); }

void HttpSession::do_read() {
  parser_.emplace();  // a fresh parser per request
  parser_->header_limit(kHeaderLimit);
  parser_->body_limit(kBodyLimit);
  beast::get_lowest_layer(stream_).expires_after(kIdleTimeout);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream) return do_shutdown();
  if (ec) {
    if (auto reply = parse_error_reply(ec)) {
      reply->response.keep_alive(false);
      reply->response.prepare_payload();
      return do_write(std::move(reply->response));
    }
    return fail(ec, "read");
  }
  Request request = parser_->release();
  Reply reply = handle_request(*app_, request);
  if (reply.takeover) {
    // The handler's object owns the connection from here on.
    reply.takeover(std::move(stream_), std::move(request), std::move(buffer_));
    return;
  }
  if (reply.events) {
    // Nothing more is read as requests: the stream owns the connection.
    std::make_shared<ChunkedStream>(std::move(stream_), std::move(reply.events))->start(app_->hub);
    return;
  }
  if (reply.cut_after) return do_write_cut(std::move(reply.response), *reply.cut_after);
  do_write(std::move(reply.response));
}

void HttpSession::do_write(Response response) {
  response_ = std::move(response);
  beast::get_lowest_layer(stream_).expires_after(kIdleTimeout);
  http::async_write(stream_, response_,
                    beast::bind_front_handler(&HttpSession::on_write, shared_from_this(),
                                              response_.need_eof()));
}

// The head (with the full Content-Length) and the first `bytes` of the body,
// then the connection closes: the client must see a body cut short.
void HttpSession::do_write_cut(Response response, std::size_t bytes) {
  response_ = std::move(response);
  std::ostringstream head;
  head << response_.base();
  cut_ = head.str() + response_.body().substr(0, bytes);
  beast::get_lowest_layer(stream_).expires_after(kIdleTimeout);
  boost::asio::async_write(stream_, boost::asio::buffer(cut_),
                           [self = shared_from_this()](beast::error_code ec, std::size_t) {
                             if (ec) fail(ec, "write");
                             beast::get_lowest_layer(self->stream_).close();
                           });
}

void HttpSession::on_write(bool close, beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "write");
  if (close) return do_shutdown();
  do_read();
}

void HttpSession::do_shutdown() {
  beast::get_lowest_layer(stream_).expires_after(kShutdownTimeout);
  stream_.async_shutdown(beast::bind_front_handler(&HttpSession::on_shutdown, shared_from_this()));
}

void HttpSession::on_shutdown(beast::error_code) {
  // Deliberately ignored: many clients close without answering close_notify,
  // and the socket is closed when this object goes away either way.
}

}  // namespace aks::fake_apiserver
