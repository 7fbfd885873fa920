#include "tests/fakes/fake-apiserver/status.h"

namespace aks::fake_apiserver {
namespace {

std::string quoted(const std::string& s) {
  // Go's %q; the names here are plain, so escaping quotes and backslashes suffices.
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

std::string qualified(const std::string& resource, const std::string& group) {
  return group.empty() ? resource : resource + "." + group;
}

picojson::object details_of(const std::string& name, const std::string& group,
                            const std::string& kind) {
  picojson::object d;
  if (!name.empty()) d["name"] = picojson::value(name);
  if (!group.empty()) d["group"] = picojson::value(group);
  if (!kind.empty()) d["kind"] = picojson::value(kind);
  return d;
}

}  // namespace

picojson::value failure_status(int code, const std::string& reason, const std::string& message,
                               std::optional<picojson::object> details) {
  picojson::object s;
  s["kind"] = picojson::value("Status");
  s["apiVersion"] = picojson::value("v1");
  s["metadata"] = picojson::value(picojson::object());
  s["status"] = picojson::value("Failure");
  s["message"] = picojson::value(message);
  s["reason"] = picojson::value(reason);
  if (details) s["details"] = picojson::value(*details);
  s["code"] = picojson::value(static_cast<double>(code));
  return picojson::value(s);
}

picojson::value unauthorized_status() {
  return failure_status(401, "Unauthorized", "Unauthorized");
}

picojson::value forbidden_status(const RequestInfo& info, const std::string& user) {
  std::string why = "User " + quoted(user) + " cannot " + info.verb + " ";
  std::string subject;
  if (!info.is_resource_request) {
    why += "path " + quoted(info.path);
  } else {
    std::string resource = info.resource;
    if (!info.subresource.empty()) resource += "/" + info.subresource;
    why += "resource " + quoted(resource) + " in API group " + quoted(info.api_group);
    why += info.ns.empty() ? " at the cluster scope" : " in the namespace " + quoted(info.ns);
    subject = qualified(info.resource, info.api_group);
    if (!info.name.empty()) subject += " " + quoted(info.name);
  }
  std::string message = subject.empty() ? "forbidden: " + why : subject + " is forbidden: " + why;
  return failure_status(403, "Forbidden", message,
                        details_of(info.name, info.api_group, info.resource));
}

picojson::value object_not_found_status(const std::string& resource, const std::string& group,
                                        const std::string& name) {
  return failure_status(404, "NotFound",
                        qualified(resource, group) + " " + quoted(name) + " not found",
                        details_of(name, group, resource));
}

picojson::value path_not_found_status() {
  return failure_status(404, "NotFound", "the server could not find the requested resource",
                        picojson::object());
}

picojson::value method_not_allowed_status() {
  return failure_status(405, "MethodNotAllowed",
                        "the server does not allow this method on the requested resource",
                        picojson::object());
}

picojson::value bad_request_status(const std::string& message) {
  return failure_status(400, "BadRequest", message);
}

}  // namespace aks::fake_apiserver
