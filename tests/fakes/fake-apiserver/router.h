#pragma once
// Maps method + path patterns ("/api/v1/namespaces/{namespace}/pods/{name}")
// to handlers, each with the access rule the request pipeline enforces.
#include <map>
#include <string>
#include <vector>

#include "tests/fakes/fake-apiserver/reply.h"
#include "tests/fakes/fake-apiserver/target.h"
#include "tests/fakes/fake-apiserver/token_verifier.h"

namespace aks::fake_apiserver {

struct App;

enum class Access {
  Control,        // test control endpoints: no token, not counted
  Public,         // health probes: no token
  Authenticated,  // any valid token (discovery, self review: what every AKS user may do)
  Authorized,     // valid token and allowed by --allow-user / --allow-group
};

using Params = std::map<std::string, std::string>;

// Everything a handler may look at.
struct Call {
  App& app;
  const Request& request;
  const Target& target;
  const Params& params;
  const Identity* user;  // null on Control and Public routes
};

using Handler = std::function<Reply(const Call&)>;

struct Route {
  http::verb method;
  std::string pattern;
  Access access;
  Handler handler;
};

class Router {
 public:
  void add(http::verb method, std::string pattern, Access access, Handler handler);

  struct Match {
    const Route* route = nullptr;  // null: no route for this method and path
    Params params;
    bool path_known = false;  // some route has this path, with another method
  };
  Match match(http::verb method, const std::string& path) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace aks::fake_apiserver
