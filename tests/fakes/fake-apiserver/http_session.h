#pragma once
// Second phase of a connection: HTTP/1.1 requests with keep-alive, each read,
// handled by the pipeline and answered; a handler may take the stream over.
#include <memory>
#include <optional>

#include "tests/fakes/fake-apiserver/reply.h"

namespace aks::fake_apiserver {

struct App;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(Stream&& stream, std::shared_ptr<App> app);
  void run();  // call on the stream's strand

 private:
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void do_write(Response response);
  void do_write_cut(Response response, std::size_t bytes);
  void on_write(bool close, beast::error_code ec, std::size_t bytes);
  void do_shutdown();
  void on_shutdown(beast::error_code ec);

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Response response_;  // kept alive until its write completes
  std::string cut_;    // do_write_cut's bytes
  std::shared_ptr<App> app_;
};

}  // namespace aks::fake_apiserver
