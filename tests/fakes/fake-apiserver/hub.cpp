#include "tests/fakes/fake-apiserver/hub.h"

#include <algorithm>

namespace aks::fake_apiserver {
namespace {

void prune(std::vector<std::weak_ptr<Subscriber>>& v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](const auto& w) { return w.expired(); }), v.end());
}

}  // namespace

void Hub::subscribe(Topic topic, std::weak_ptr<Subscriber> s) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& v = topic == Topic::PodWatch ? watch_ : logs_;
  prune(v);
  v.push_back(std::move(s));
}

std::size_t Hub::publish(Topic topic, std::shared_ptr<const Event> event) {
  std::vector<std::shared_ptr<Subscriber>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto& v = topic == Topic::PodWatch ? watch_ : logs_;
    prune(v);
    for (auto& w : v)
      if (auto s = w.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) s->deliver(event);
  return live.size();
}

std::size_t Hub::count(Topic topic) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& v = topic == Topic::PodWatch ? watch_ : logs_;
  prune(v);
  return v.size();
}

}  // namespace aks::fake_apiserver
