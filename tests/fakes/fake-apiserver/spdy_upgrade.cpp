#include "tests/fakes/fake-apiserver/spdy_upgrade.h"

#include <strings.h>

#include "tests/fakes/fake-apiserver/fail.h"
#include "tests/fakes/fake-apiserver/log.h"
#include "tests/fakes/fake-apiserver/tls_byte_stream.h"
#include "tests/fakes/fake-apiserver/ws_byte_stream.h"

namespace aks::fake_apiserver {
namespace {

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Values of a list header, over every line of it.
std::vector<std::string> list_values(const Request& request, const std::string& name) {
  std::vector<std::string> out;
  for (auto [it, end] = request.equal_range(name); it != end; ++it) {
    std::string v(it->value());
    std::size_t start = 0;
    while (start <= v.size()) {
      std::size_t comma = v.find(',', start);
      if (comma == std::string::npos) comma = v.size();
      std::string item = trim(v.substr(start, comma - start));
      if (!item.empty()) out.push_back(item);
      start = comma + 1;
    }
  }
  return out;
}

bool has_token(const std::vector<std::string>& values, const char* token) {
  for (const auto& v : values)
    if (strcasecmp(v.c_str(), token) == 0) return true;
  return false;
}

}  // namespace

bool is_spdy_upgrade(const Request& request) {
  return has_token(list_values(request, "Connection"), "upgrade") &&
         has_token(list_values(request, "Upgrade"), "SPDY/3.1");
}

std::vector<std::string> offered_stream_protocols(const Request& request) {
  return list_values(request, "X-Stream-Protocol-Version");
}

std::vector<std::string> offered_websocket_protocols(const Request& request) {
  return list_values(request, "Sec-WebSocket-Protocol");
}

void start_spdy(Stream&& stream, beast::flat_buffer&& already_read, const std::string& protocol,
                std::string label, SpdyHandlerFactory make_handler) {
  auto transport = std::make_unique<TlsByteStream>(std::move(stream), std::move(already_read));
  TlsByteStream* raw = transport.get();
  auto session = std::make_shared<SpdySession>(std::move(transport), label);
  auto head = std::make_shared<std::string>(
      "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
      "X-Stream-Protocol-Version: " + protocol + "\r\n\r\n");
  log_line(label + ": SPDY/3.1 (" + protocol + ")");
  raw->async_write(boost::asio::buffer(*head),
                   [session, head, make_handler](beast::error_code ec, std::size_t) {
                     if (ec) return fail(ec, "SPDY upgrade");
                     session->start(make_handler(*session));
                   });
}

void start_spdy_over_websocket(Stream&& stream, const Request& request, const std::string& subprotocol,
                               std::string label, SpdyHandlerFactory make_handler) {
  auto transport = std::make_unique<WsByteStream>(std::move(stream));
  WsByteStream* raw = transport.get();
  auto session = std::make_shared<SpdySession>(std::move(transport), label);
  log_line(label + ": SPDY/3.1 over WebSocket (" + subprotocol + ")");
  raw->async_accept(request, subprotocol, [session, make_handler](beast::error_code ec) {
    if (ec) return fail(ec, "WebSocket upgrade");
    session->start(make_handler(*session));
  });
}

}  // namespace aks::fake_apiserver
