#include "tests/fakes/fake-apiserver/spdy_exec_session.h"

#include <algorithm>

#include "tests/fakes/fake-apiserver/exec_command.h"

namespace aks::fake_apiserver {
namespace {

// Past this much echoed data waiting to be written, stop reading the client.
constexpr std::size_t kMaxInFlight = 1024 * 1024;

}  // namespace

std::vector<std::string> ExecStreams::names() const {
  std::vector<std::string> names{"error"};
  if (in) names.push_back("stdin");
  if (out) names.push_back("stdout");
  if (err && !tty) names.push_back("stderr");  // a terminal has one output stream
  if (tty) names.push_back("resize");
  return names;
}

SpdyExecSession::SpdyExecSession(SpdySession& session, std::vector<std::string> command, ExecStreams want)
    : session_(session), command_(std::move(command)), expected_(want.names()) {}

std::uint32_t SpdyExecSession::stream(const std::string& type) const {
  auto it = streams_.find(type);
  return it == streams_.end() ? 0 : it->second;
}

void SpdyExecSession::on_stream(std::uint32_t id, const spdy::Headers& headers) {
  const std::string type = spdy::header_value(headers, "streamtype");
  if (std::find(expected_.begin(), expected_.end(), type) == expected_.end() || streams_.count(type)) {
    session_.reset(id, spdy::RstStatus::RefusedStream);
    return;
  }
  session_.reply(id);
  streams_[type] = id;
  maybe_start();
}

void SpdyExecSession::maybe_start() {
  if (started_ || streams_.size() != expected_.size()) return;
  started_ = true;
  if (!runs_cat(command_)) {
    if (const std::uint32_t out = stream("stdout")) session_.send(out, command_output(command_), false);
    return finish();
  }
  for (auto& data : early_stdin_) echo(stream("stdin"), std::move(data));
  early_stdin_.clear();
  if (!stream("stdin") || stdin_closed_) finish();
}

void SpdyExecSession::on_data(std::uint32_t id, std::string data) {
  if (id != stream("stdin") || finished_ || !runs_cat(command_)) return session_.consumed(id, data.size());
  if (!started_) return early_stdin_.push_back(std::move(data));
  echo(id, std::move(data));
}

void SpdyExecSession::echo(std::uint32_t from, std::string data) {
  const std::size_t n = data.size();
  const std::uint32_t out = stream("stdout");
  if (!out) return session_.consumed(from, n);
  in_flight_ += n;
  if (in_flight_ > kMaxInFlight && !holding_) {
    holding_ = true;
    session_.hold_reads();
  }
  // The session runs this callback and owns this handler: `this` is alive.
  session_.send(out, std::move(data), false, [this, from, n] {
    in_flight_ -= n;
    session_.consumed(from, n);
    if (holding_ && in_flight_ <= kMaxInFlight / 2) {
      holding_ = false;
      session_.release_reads();
    }
  });
}

void SpdyExecSession::on_remote_fin(std::uint32_t id) {
  if (id != stream("stdin")) return;
  stdin_closed_ = true;
  if (started_) finish();  // cat ends when its stdin does
}

void SpdyExecSession::on_reset(std::uint32_t id) {
  for (auto it = streams_.begin(); it != streams_.end(); ++it)
    if (it->second == id) {
      streams_.erase(it);
      break;
    }
}

void SpdyExecSession::finish() {
  if (finished_) return;
  finished_ = true;
  for (const char* type : {"stdout", "stderr"})
    if (const std::uint32_t id = stream(type)) session_.send(id, "", true);
  if (const std::uint32_t id = stream("error")) session_.send(id, kExecSuccessStatus, true);
  // Our halves of the client's input streams end too, so the client can let go of them.
  for (const char* type : {"stdin", "resize"})
    if (const std::uint32_t id = stream(type)) session_.send(id, "", true);
}

}  // namespace aks::fake_apiserver
