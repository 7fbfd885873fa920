#include "tests/fakes/fake-apiserver/pipeline.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "tests/fakes/fake-apiserver/app.h"
#include "tests/fakes/fake-apiserver/log.h"
#include "tests/fakes/fake-apiserver/request_info.h"
#include "tests/fakes/fake-apiserver/responses.h"
#include "tests/fakes/fake-apiserver/status.h"

namespace aks::fake_apiserver {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string bearer_token(const Request& req) {
  auto it = req.find(http::field::authorization);
  if (it == req.end()) return "";
  std::string_view value(it->value().data(), it->value().size());
  constexpr std::string_view scheme = "Bearer ";
  if (value.size() <= scheme.size()) return "";
  for (size_t i = 0; i < scheme.size(); ++i)  // the scheme is case-insensitive
    if (std::tolower(static_cast<unsigned char>(value[i])) !=
        std::tolower(static_cast<unsigned char>(scheme[i])))
      return "";
  value.remove_prefix(scheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  return std::string(value);
}

Reply route(App& app, const Request& req, const Target& target, const Router::Match& m,
            const Identity* user) {
  if (!m.route)
    return status_reply(m.path_known ? method_not_allowed_status() : path_not_found_status());
  return m.route->handler(Call{app, req, target, m.params, user});
}

Reply authenticate_and_route(App& app, const Request& req, const Target& target,
                             const Router::Match& m, Access access, std::string& who) {
  if (access == Access::Control || access == Access::Public)
    return route(app, req, target, m, nullptr);

  Identity user;
  try {
    std::string token = bearer_token(req);
    if (token.empty()) throw AuthFailure("no bearer token");
    user = app.verifier.verify(token, std::time(nullptr));
  } catch (const AuthFailure& e) {
    ++app.counters.unauthorized;
    who = std::string("(") + e.what() + ")";
    return status_reply(unauthorized_status());
  }
  who = user.username;
  if (access == Access::Authorized && !rbac_allows(app.options, user)) {
    ++app.counters.forbidden;
    std::string method(req.method_string());
    return status_reply(forbidden_status(parse_request_info(method, target), user.username));
  }
  ++app.counters.authorized;
  return route(app, req, target, m, &user);
}

}  // namespace

// Stands in for AKS's Azure RBAC / Kubernetes RBAC.
bool rbac_allows(const Options& o, const Identity& id) {
  if (o.allow_users.empty() && o.allow_groups.empty()) return true;
  if (contains(o.allow_users, id.username)) return true;
  return std::any_of(id.groups.begin(), id.groups.end(),
                     [&](const std::string& g) { return contains(o.allow_groups, g); });
}

Reply handle_request(App& app, const Request& req) {
  Target target = parse_target(std::string_view(req.target().data(), req.target().size()));
  Router::Match m = app.router.match(req.method(), target.path);
  // Unknown paths need the same rights as resources, as on a real cluster:
  // no token gives 401, a user without access 403, others 404.
  Access access = m.route ? m.route->access : Access::Authorized;
  if (access != Access::Control) ++app.counters.requests;

  std::string who = "-";
  Reply reply = authenticate_and_route(app, req, target, m, access, who);
  if (!reply.takeover) {
    reply.response.version(req.version());
    reply.response.keep_alive(req.keep_alive());
    reply.response.prepare_payload();
  }
  if (access != Access::Control)
    log_line(std::string(req.method_string()) + " " + std::string(req.target()) + " " +
             std::to_string(reply.response.result_int()) + " " + who);
  return reply;
}

}  // namespace aks::fake_apiserver
