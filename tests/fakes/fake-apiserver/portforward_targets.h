#pragma once
// Where the fake's pods listen: container port -> a loopback address the test
// controls (POST /_control/portforward). Unmapped ports refuse connections,
// like a pod port nothing listens on.
#include <boost/asio/ip/tcp.hpp>

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace aks::fake_apiserver {

class PortForwardTargets {
 public:
  // "127.0.0.1:8080" or "[::1]:8080"; loopback only. Throws std::invalid_argument.
  static boost::asio::ip::tcp::endpoint parse_loopback(const std::string& target);

  void set(unsigned port, const std::string& target);  // validates target
  void erase(unsigned port);
  std::optional<boost::asio::ip::tcp::endpoint> find(unsigned port);
  std::map<unsigned, std::string> all();

 private:
  std::mutex mu_;
  std::map<unsigned, std::string> targets_;
};

}  // namespace aks::fake_apiserver
