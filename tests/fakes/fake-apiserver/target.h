#pragma once
// The request target split into path and decoded query parameters.
#include <map>
#include <string>
#include <string_view>

namespace aks::fake_apiserver {

using Query = std::map<std::string, std::string>;

struct Target {
  std::string path;
  Query query;                                  // first value of each key
  std::multimap<std::string, std::string> all;  // every value (exec's repeated command=)
};

Target parse_target(std::string_view target);

}  // namespace aks::fake_apiserver
