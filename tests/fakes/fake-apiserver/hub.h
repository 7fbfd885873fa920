#pragma once
// Fan-out of server-side events to the open streams that want them: watch
// streams get object events, log followers get lines. Tests trigger events
// through the control API (/_control/emit, /_control/log) and read how many
// streams are open (/_control/streams) instead of sleeping.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tests/fakes/fake-apiserver/fixtures.h"

namespace aks::fake_apiserver {

struct Event {
  std::string type;  // ADDED, MODIFIED, DELETED (watch) or empty (log line)
  Object object;     // watch events
  std::string text;  // log lines
  // /_control/abort: every stream of the topic breaks off mid-body (HTTP/1.1:
  // connection closed without the last chunk; HTTP/2: RST_STREAM).
  bool abort = false;

  // The event as one kind of stream writes it, rendered once for all the
  // streams of that kind (thousands of watches get the same bytes).
  std::string rendered(const std::string& key, const std::function<std::string()>& render) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(key);
    if (it == cache_.end()) it = cache_.emplace(key, render()).first;
    return it->second;
  }

 private:
  mutable std::mutex mu_;
  mutable std::map<std::string, std::string> cache_;
};

class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // Called from any thread; the subscriber posts to its own strand.
  virtual void deliver(std::shared_ptr<const Event> event) = 0;
};

enum class Topic { PodWatch, Logs };

class Hub {
 public:
  void subscribe(Topic topic, std::weak_ptr<Subscriber> s);
  // Returns how many live subscribers got the event.
  std::size_t publish(Topic topic, std::shared_ptr<const Event> event);
  std::size_t count(Topic topic);

 private:
  std::mutex mu_;
  std::vector<std::weak_ptr<Subscriber>> watch_, logs_;
};

}  // namespace aks::fake_apiserver
