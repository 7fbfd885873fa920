#pragma once
// GET /_control/blast?bytes=N with an Upgrade header: answers 101, then sends
// N bytes as fast as the connection takes them and closes. The proxy
// benchmark measures tunnel throughput with it.
#include <cstdint>
#include <memory>
#include <string>

#include "tests/fakes/fake-apiserver/reply.h"

namespace aks::fake_apiserver {

class Blast : public std::enable_shared_from_this<Blast> {
 public:
  Blast(Stream&& stream, std::uint64_t bytes);
  void run();

 private:
  void on_write(beast::error_code ec, std::size_t n);
  void do_shutdown();

  Stream stream_;
  std::uint64_t left_;
  std::string head_;
  std::string block_;
  bool head_sent_ = false;
};

}  // namespace aks::fake_apiserver
