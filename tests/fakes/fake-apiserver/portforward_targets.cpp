#include "tests/fakes/fake-apiserver/portforward_targets.h"

#include <stdexcept>

namespace aks::fake_apiserver {

namespace net = boost::asio;

net::ip::tcp::endpoint PortForwardTargets::parse_loopback(const std::string& target) {
  const auto colon = target.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("target needs host:port");
  std::string host = target.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port = target.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(port) == 0 || std::stoul(port) > 65535)
    throw std::invalid_argument("bad port in target \"" + target + "\"");
  boost::system::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  // Tests only ever forward to this machine; anything else is a mistake.
  if (ec || !address.is_loopback()) throw std::invalid_argument("target must be a loopback address: " + target);
  return {address, static_cast<unsigned short>(std::stoul(port))};
}

void PortForwardTargets::set(unsigned port, const std::string& target) {
  parse_loopback(target);
  std::lock_guard<std::mutex> lock(mu_);
  targets_[port] = target;
}

void PortForwardTargets::erase(unsigned port) {
  std::lock_guard<std::mutex> lock(mu_);
  targets_.erase(port);
}

std::optional<net::ip::tcp::endpoint> PortForwardTargets::find(unsigned port) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = targets_.find(port);
  if (it == targets_.end()) return std::nullopt;
  return parse_loopback(it->second);
}

std::map<unsigned, std::string> PortForwardTargets::all() {
  std::lock_guard<std::mutex> lock(mu_);
  return targets_;
}

}  // namespace aks::fake_apiserver
