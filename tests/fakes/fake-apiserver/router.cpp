#include "tests/fakes/fake-apiserver/router.h"

namespace aks::fake_apiserver {
namespace {

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool match_pattern(const std::string& pattern, const std::vector<std::string>& path,
                   Params& params) {
  std::vector<std::string> want = segments(pattern);
  if (want.size() != path.size()) return false;
  Params found;
  for (size_t i = 0; i < want.size(); ++i) {
    const std::string& w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}')
      found[w.substr(1, w.size() - 2)] = path[i];
    else if (w != path[i])
      return false;
  }
  params = std::move(found);
  return true;
}

}  // namespace

void Router::add(http::verb method, std::string pattern, Access access, Handler handler) {
  routes_.push_back(Route{method, std::move(pattern), access, std::move(handler)});
}

Router::Match Router::match(http::verb method, const std::string& path) const {
  Match m;
  std::vector<std::string> parts = segments(path);
  for (const Route& r : routes_) {
    Params params;
    if (!match_pattern(r.pattern, parts, params)) continue;
    m.path_known = true;
    if (r.method == method) {
      m.route = &r;
      m.params = std::move(params);
      return m;
    }
  }
  return m;
}

}  // namespace aks::fake_apiserver
