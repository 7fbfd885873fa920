#include "tests/fakes/fake-apiserver/portforward_session.h"

#include "tests/fakes/fake-apiserver/portforward_targets.h"
#include "tests/fakes/fake-apiserver/tcp_forward.h"

namespace aks::fake_apiserver {
namespace {

// "8080" -> 8080; 0 for anything that is not a port.
unsigned parse_port(const std::string& s) {
  if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string::npos) return 0;
  const unsigned long n = std::stoul(s);
  return n <= 65535 ? static_cast<unsigned>(n) : 0;
}

}  // namespace

PortForwardSession::PortForwardSession(SpdySession& session, PortForwardTargets& targets, PodRef pod)
    : session_(session), targets_(targets), pod_(std::move(pod)) {}

PortForwardSession::~PortForwardSession() = default;

void PortForwardSession::on_stream(std::uint32_t id, const spdy::Headers& headers) {
  const std::string type = spdy::header_value(headers, "streamtype");
  const unsigned port = parse_port(spdy::header_value(headers, "port"));
  std::string request_id = spdy::header_value(headers, "requestid");
  // Clients without requestid pair a data stream with the error stream just before it.
  if (request_id.empty()) request_id = std::to_string(type == "data" ? id - 2 : id);
  if ((type != "error" && type != "data") || port == 0) {
    session_.reset(id, spdy::RstStatus::ProtocolError);
    return;
  }
  Pair& pair = pairs_[request_id];
  std::uint32_t& slot = type == "error" ? pair.error_id : pair.data_id;
  if (slot != 0 || (pair.port != 0 && pair.port != port)) {
    session_.reset(id, spdy::RstStatus::ProtocolError);
    return;
  }
  session_.reply(id);
  slot = id;
  pair.port = port;
  request_ids_[id] = request_id;
  if (pair.error_id && pair.data_id) start(request_id, pair);
}

void PortForwardSession::start(const std::string& request_id, Pair& pair) {
  const std::string prefix = "error forwarding port " + std::to_string(pair.port) + " to pod " + pod_.name +
                             "_" + pod_.ns + ", uid " + pod_.uid + ": ";
  // The forward ends itself (target closed or unreachable) or is aborted below.
  pair.forward = std::make_shared<TcpForward>(session_.shared_from_this(), pair.error_id, pair.data_id, prefix,
                                              [this, request_id] { forget(request_id); });
  pair.forward->start(targets_.find(pair.port), "failed to connect to localhost:" + std::to_string(pair.port) +
                                                    " inside namespace \"" + pod_.ns +
                                                    "\": connect: connection refused");
}

PortForwardSession::Pair* PortForwardSession::pair_of(std::uint32_t stream_id) {
  auto it = request_ids_.find(stream_id);
  if (it == request_ids_.end()) return nullptr;
  auto p = pairs_.find(it->second);
  return p == pairs_.end() ? nullptr : &p->second;
}

void PortForwardSession::on_data(std::uint32_t id, std::string data) {
  Pair* pair = pair_of(id);
  if (pair && pair->forward && id == pair->data_id) return pair->forward->from_client(std::move(data));
  session_.consumed(id, data.size());  // the error stream carries nothing from the client
}

void PortForwardSession::on_remote_fin(std::uint32_t id) {
  Pair* pair = pair_of(id);
  if (pair && pair->forward && id == pair->data_id) pair->forward->client_fin();
}

void PortForwardSession::on_reset(std::uint32_t id) {
  auto it = request_ids_.find(id);
  if (it == request_ids_.end()) return;
  const std::string request_id = it->second;
  if (auto p = pairs_.find(request_id); p != pairs_.end()) {
    if (p->second.forward) p->second.forward->abort();
    // Reset the other stream too: this forward is over.
    const std::uint32_t other = id == p->second.data_id ? p->second.error_id : p->second.data_id;
    if (other && session_.stream_open(other)) session_.reset(other, spdy::RstStatus::Cancel);
  }
  forget(request_id);
}

void PortForwardSession::forget(const std::string& request_id) {
  auto p = pairs_.find(request_id);
  if (p == pairs_.end()) return;
  request_ids_.erase(p->second.error_id);
  request_ids_.erase(p->second.data_id);
  pairs_.erase(p);
}

void PortForwardSession::on_closed() {
  for (auto& [id, pair] : pairs_)
    if (pair.forward) pair.forward->abort();
  pairs_.clear();
  request_ids_.clear();
}

}  // namespace aks::fake_apiserver
