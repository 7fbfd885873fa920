#include "tests/fakes/fake-apiserver/table.h"

#include <sstream>

namespace aks::fake_apiserver {
namespace {

using picojson::array;
using picojson::object;
using picojson::value;

struct Column {
  const char* name;
  const char* type;
  const char* format;
  int priority;  // 1 = only with -o wide
  const char* description;
};

const value& at(const value& v, const char* key) {
  static const value null;
  if (!v.is<object>()) return null;
  const auto& o = v.get<object>();
  auto it = o.find(key);
  return it == o.end() ? null : it->second;
}

std::string str(const value& v, const char* fallback = "<none>") {
  return v.is<std::string>() && !v.get<std::string>().empty() ? v.get<std::string>() : fallback;
}

double num(const value& v) { return v.is<double>() ? v.get<double>() : 0; }

std::string count(double n) { return std::to_string(static_cast<long>(n)); }

std::string age(const Object& o, std::time_t now) {
  return human_duration(static_cast<long>(now - o.created));
}

const std::vector<Column>& columns(TableKind kind) {
  static const char* kName = "Name must be unique within a namespace.";
  static const char* kAge = "CreationTimestamp is the time the object was created.";
  static const std::vector<Column> pods = {
      {"Name", "string", "name", 0, kName},
      {"Ready", "string", "", 0, "The aggregate readiness state of this pod for accepting traffic."},
      {"Status", "string", "", 0, "The aggregate status of the containers in this pod."},
      {"Restarts", "string", "", 0, "The number of times the containers in this pod have been restarted."},
      {"Age", "string", "", 0, kAge},
      {"IP", "string", "", 1, "IP address allocated to the pod."},
      {"Node", "string", "", 1, "Name of the node the pod is assigned to."},
      {"Nominated Node", "string", "", 1, "Node the pod is nominated to when preempting."},
      {"Readiness Gates", "string", "", 1, "Readiness gates of the pod."},
  };
  static const std::vector<Column> namespaces = {
      {"Name", "string", "name", 0, kName},
      {"Status", "string", "", 0, "The status of the namespace."},
      {"Age", "string", "", 0, kAge},
  };
  static const std::vector<Column> deployments = {
      {"Name", "string", "name", 0, kName},
      {"Ready", "string", "", 0, "Number of the pod with ready state."},
      {"Up-to-date", "integer", "", 0, "Total number of non-terminated pods with the desired template."},
      {"Available", "integer", "", 0, "Number of available pods targeted by this deployment."},
      {"Age", "string", "", 0, kAge},
      {"Containers", "string", "", 1, "Names of each container in the template."},
      {"Images", "string", "", 1, "Images referenced by each container in the template."},
      {"Selector", "string", "", 1, "Label selector for pods."},
  };
  switch (kind) {
    case TableKind::Pods: return pods;
    case TableKind::Namespaces: return namespaces;
    case TableKind::Deployments: break;
  }
  return deployments;
}

array pod_cells(const Object& o, std::time_t now) {
  const value& status = at(o.json, "status");
  int ready = 0, total = 0;
  double restarts = 0;
  if (at(status, "containerStatuses").is<array>()) {
    for (const value& cs : at(status, "containerStatuses").get<array>()) {
      ++total;
      if (at(cs, "ready").is<bool>() && at(cs, "ready").get<bool>()) ++ready;
      restarts += num(at(cs, "restartCount"));
    }
  }
  return {value(o.name), value(std::to_string(ready) + "/" + std::to_string(total)),
          value(str(at(status, "phase"), "Unknown")), value(count(restarts)), value(age(o, now)),
          value(str(at(status, "podIP"))), value(str(at(at(o.json, "spec"), "nodeName"))),
          value("<none>"), value("<none>")};
}

array namespace_cells(const Object& o, std::time_t now) {
  return {value(o.name), value(str(at(at(o.json, "status"), "phase"), "Active")),
          value(age(o, now))};
}

array deployment_cells(const Object& o, std::time_t now) {
  const value& spec = at(o.json, "spec");
  const value& status = at(o.json, "status");
  std::string names, images;
  const value& containers = at(at(at(spec, "template"), "spec"), "containers");
  if (containers.is<array>()) {
    for (const value& c : containers.get<array>()) {
      names += (names.empty() ? "" : ",") + str(at(c, "name"), "");
      images += (images.empty() ? "" : ",") + str(at(c, "image"), "");
    }
  }
  std::string selector;
  const value& labels = at(at(spec, "selector"), "matchLabels");
  if (labels.is<object>())
    for (const auto& [k, v] : labels.get<object>())
      selector += (selector.empty() ? "" : ",") + k + "=" + str(v, "");
  return {value(o.name),
          value(count(num(at(status, "readyReplicas"))) + "/" + count(num(at(spec, "replicas")))),
          value(num(at(status, "updatedReplicas"))), value(num(at(status, "availableReplicas"))),
          value(age(o, now)), value(names), value(images), value(selector)};
}

value row_object(const Object& o, const TableRequest& req) {
  if (req.include_object == "None") return value();
  if (req.include_object == "Object") return o.json;
  object partial;
  partial["kind"] = value("PartialObjectMetadata");
  partial["apiVersion"] = value(req.api_version);
  partial["metadata"] = at(o.json, "metadata");
  return value(partial);
}

}  // namespace

std::optional<std::string> requested_table_version(const std::string& accept) {
  std::istringstream ranges(accept);
  std::string range;
  while (std::getline(ranges, range, ',')) {
    std::istringstream parts(range);
    std::string part, type, as, group, version;
    bool first = true;
    while (std::getline(parts, part, ';')) {
      auto b = part.find_first_not_of(" \t");
      auto e = part.find_last_not_of(" \t");
      part = b == std::string::npos ? "" : part.substr(b, e - b + 1);
      if (first) {
        type = part;
        first = false;
      } else if (part.rfind("as=", 0) == 0) {
        as = part.substr(3);
      } else if (part.rfind("g=", 0) == 0) {
        group = part.substr(2);
      } else if (part.rfind("v=", 0) == 0) {
        version = part.substr(2);
      }
    }
    if (type == "application/json" && as == "Table" && group == "meta.k8s.io" &&
        (version == "v1" || version == "v1beta1"))
      return "meta.k8s.io/" + version;
  }
  return std::nullopt;
}

value make_table(TableKind kind, const std::vector<const Object*>& objects,
                 const TableRequest& request) {
  array defs;
  for (const Column& c : columns(kind)) {
    object d;
    d["name"] = value(c.name);
    d["type"] = value(c.type);
    d["format"] = value(c.format);
    d["description"] = value(c.description);
    d["priority"] = value(static_cast<double>(c.priority));
    defs.push_back(value(d));
  }
  array rows;
  for (const Object* o : objects) {
    object row;
    switch (kind) {
      case TableKind::Pods: row["cells"] = value(pod_cells(*o, request.now)); break;
      case TableKind::Namespaces: row["cells"] = value(namespace_cells(*o, request.now)); break;
      case TableKind::Deployments: row["cells"] = value(deployment_cells(*o, request.now)); break;
    }
    row["object"] = row_object(*o, request);
    rows.push_back(value(row));
  }
  object metadata;
  metadata["resourceVersion"] = value(request.resource_version);
  object table;
  table["kind"] = value("Table");
  table["apiVersion"] = value(request.api_version);
  table["metadata"] = value(metadata);
  table["columnDefinitions"] = value(defs);
  table["rows"] = value(rows);
  return value(table);
}

std::string human_duration(long s) {
  auto two = [](long a, const char* ua, long b, const char* ub) {
    return std::to_string(a) + ua + (b ? std::to_string(b) + ub : "");
  };
  if (s < -1) return "<invalid>";
  if (s < 0) return "0s";
  if (s < 120) return std::to_string(s) + "s";
  long m = s / 60, h = s / 3600, d = h / 24;
  if (m < 10) return two(m, "m", s % 60, "s");
  if (m < 180) return std::to_string(m) + "m";
  if (h < 8) return two(h, "h", m % 60, "m");
  if (h < 48) return std::to_string(h) + "h";
  if (h < 24 * 8) return two(d, "d", h % 24, "h");
  if (d < 365 * 2) return std::to_string(d) + "d";
  if (d < 365 * 8) return two(d / 365, "y", d % 365, "d");
  return std::to_string(d / 365) + "y";
}

}  // namespace aks::fake_apiserver
