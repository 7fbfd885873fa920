#include "tests/fakes/fake-apiserver/fixtures.h"

#include <map>
#include <stdexcept>

namespace aks::fake_apiserver {
namespace {

constexpr long kHour = 3600;
constexpr long kDay = 24 * kHour;
constexpr const char* kNode0 = "aks-nodepool1-31718369-vmss000000";
constexpr const char* kNode1 = "aks-nodepool1-31718369-vmss000001";

// Objects are written as JSON text with ${KEY} placeholders, which reads far
// better than building picojson trees by hand.
picojson::value fill(std::string text, const std::map<std::string, std::string>& vars) {
  for (const auto& [key, value] : vars) {
    std::string mark = "${" + key + "}";
    for (size_t at = text.find(mark); at != std::string::npos;
         at = text.find(mark, at + value.size()))
      text.replace(at, mark.size(), value);
  }
  picojson::value v;
  std::string err = picojson::parse(v, text);
  if (!err.empty()) throw std::logic_error("fixture JSON: " + err);
  return v;
}

const char* kPod = R"({
  "kind": "Pod", "apiVersion": "v1",
  "metadata": {
    "name": "${NAME}", "namespace": "${NS}", "uid": "${UID}",
    "resourceVersion": "${RV}", "creationTimestamp": "${CREATED}",
    "labels": {"app": "${APP}", "pod-template-hash": "${HASH}"},
    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "${APP}-${HASH}",
      "uid": "${OWNER_UID}", "controller": true, "blockOwnerDeletion": true}]
  },
  "spec": {
    "containers": [{"name": "${APP}", "image": "${IMAGE}",
      "ports": [{"containerPort": ${PORT}, "protocol": "TCP"}],
      "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
      "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
      "imagePullPolicy": "IfNotPresent"}],
    "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
    "serviceAccountName": "default", "nodeName": "${NODE}", "schedulerName": "default-scheduler",
    "enableServiceLinks": true, "preemptionPolicy": "PreemptLowerPriority", "priority": 0
  },
  "status": {
    "phase": "Running",
    "conditions": [
      {"type": "Initialized", "status": "True", "lastTransitionTime": "${CREATED}"},
      {"type": "Ready", "status": "True", "lastTransitionTime": "${STARTED}"},
      {"type": "ContainersReady", "status": "True", "lastTransitionTime": "${STARTED}"},
      {"type": "PodScheduled", "status": "True", "lastTransitionTime": "${CREATED}"}],
    "hostIP": "${HOST_IP}", "hostIPs": [{"ip": "${HOST_IP}"}],
    "podIP": "${POD_IP}", "podIPs": [{"ip": "${POD_IP}"}],
    "startTime": "${CREATED}",
    "containerStatuses": [{"name": "${APP}", "ready": true, "started": true,
      "restartCount": ${RESTARTS}, "image": "${IMAGE}", "imageID": "${IMAGE}@sha256:${DIGEST}",
      "containerID": "containerd://${CONTAINER_ID}",
      "state": {"running": {"startedAt": "${STARTED}"}}}],
    "qosClass": "Burstable"
  }
})";

const char* kNamespace = R"({
  "kind": "Namespace", "apiVersion": "v1",
  "metadata": {"name": "${NAME}", "uid": "${UID}", "resourceVersion": "${RV}",
    "creationTimestamp": "${CREATED}", "labels": {"kubernetes.io/metadata.name": "${NAME}"}},
  "spec": {"finalizers": ["kubernetes"]},
  "status": {"phase": "Active"}
})";

const char* kDeployment = R"({
  "kind": "Deployment", "apiVersion": "apps/v1",
  "metadata": {"name": "${NAME}", "namespace": "${NS}", "uid": "${UID}", "resourceVersion": "${RV}",
    "generation": 1, "creationTimestamp": "${CREATED}", "labels": {"app": "${NAME}"},
    "annotations": {"deployment.kubernetes.io/revision": "1"}},
  "spec": {"replicas": ${REPLICAS}, "selector": {"matchLabels": {"app": "${NAME}"}},
    "template": {"metadata": {"labels": {"app": "${NAME}"}},
      "spec": {"containers": [{"name": "${NAME}", "image": "${IMAGE}"}]}},
    "strategy": {"type": "RollingUpdate",
      "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
    "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600},
  "status": {"observedGeneration": 1, "replicas": ${REPLICAS}, "updatedReplicas": ${REPLICAS},
    "readyReplicas": ${REPLICAS}, "availableReplicas": ${REPLICAS},
    "conditions": [
      {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
       "message": "Deployment has minimum availability.", "lastUpdateTime": "${CREATED}",
       "lastTransitionTime": "${CREATED}"}]}
})";

struct PodSpec {
  const char *ns, *app, *hash, *suffix, *image, *node, *host_ip, *pod_ip, *port;
  long age;
  int restarts;
  const char* uid;
};

Object make_pod(const PodSpec& p, std::time_t start, int index) {
  std::string name = std::string(p.app) + "-" + p.hash + "-" + p.suffix;
  std::time_t created = start - p.age;
  std::string n = std::to_string(index);
  picojson::value json = fill(
      kPod, {{"NAME", name}, {"NS", p.ns}, {"UID", p.uid}, {"RV", "48213" + n},
             {"CREATED", rfc3339(created)}, {"STARTED", rfc3339(created + 9)}, {"APP", p.app},
             {"HASH", p.hash}, {"OWNER_UID", "0f6c54a9-8c1e-4f0e-9a51-7c2d2b4e1a0" + n},
             {"IMAGE", p.image}, {"PORT", p.port}, {"NODE", p.node}, {"HOST_IP", p.host_ip},
             {"POD_IP", p.pod_ip}, {"RESTARTS", std::to_string(p.restarts)},
             {"DIGEST", std::string(64, static_cast<char>('a' + index))},
             {"CONTAINER_ID", std::string(64, static_cast<char>('0' + index))}});
  return Object{p.ns, name, created, json};
}

}  // namespace

std::string rfc3339(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Fixtures make_fixtures(std::time_t start) {
  Fixtures f;
  f.resource_version = "482301";
  const PodSpec pods[] = {
      {"default", "web", "7d9c6b8f5d", "4xk2p", "nginx:1.27", kNode0, "10.224.0.4",
       "10.244.0.12", "80", 3 * kDay + 4 * kHour, 0, "3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"},
      {"default", "web", "7d9c6b8f5d", "9qrtz", "nginx:1.27", kNode1, "10.224.0.5",
       "10.244.1.7", "80", 3 * kDay + 4 * kHour, 1, "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d"},
      {"default", "redis", "5c6d7e8f9", "lm5wh", "redis:7.2", kNode0, "10.224.0.4",
       "10.244.0.19", "6379", 26 * kHour, 0, "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"},
      {"kube-system", "coredns", "6f8b9d7c5", "x7v2n", "mcr.microsoft.com/oss/kubernetes/coredns:v1.11.3-5",
       kNode1, "10.224.0.5", "10.244.1.2", "53", 12 * kDay, 0,
       "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"},
  };
  int index = 0;
  for (const PodSpec& p : pods) f.pods.push_back(make_pod(p, start, index++));

  const std::pair<const char*, const char*> namespaces[] = {
      {"default", "b1d4c0a2-7f3e-4c59-9e0a-2f6d8b1c3e5a"},
      {"kube-node-lease", "c2e5d1b3-8a4f-4d6a-af1b-3a7e9c2d4f6b"},
      {"kube-public", "d3f6e2c4-9b5a-4e7b-b02c-4b8fad3e5a7c"},
      {"kube-system", "e4a7f3d5-ac6b-4f8c-813d-5c9abe4f6b8d"},
  };
  for (const auto& [name, uid] : namespaces) {
    std::time_t created = start - 12 * kDay - kHour;
    f.namespaces.push_back(Object{"", name, created,
                                  fill(kNamespace, {{"NAME", name}, {"UID", uid}, {"RV", "4"},
                                                    {"CREATED", rfc3339(created)}})});
  }

  const struct {
    const char *ns, *name, *image, *replicas, *uid;
    long age;
  } deployments[] = {
      {"default", "web", "nginx:1.27", "2", "5b6c7d8e-9f0a-4b1c-9d2e-3f4a5b6c7d8e", 3 * kDay + 4 * kHour},
      {"default", "redis", "redis:7.2", "1", "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a", 26 * kHour},
      {"kube-system", "coredns", "mcr.microsoft.com/oss/kubernetes/coredns:v1.11.3-5", "1",
       "8e9f0a1b-2c3d-4e4f-9a5b-6c7d8e9f0a1b", 12 * kDay},
  };
  for (const auto& d : deployments) {
    std::time_t created = start - d.age;
    f.deployments.push_back(Object{
        d.ns, d.name, created,
        fill(kDeployment, {{"NAME", d.name}, {"NS", d.ns}, {"UID", d.uid}, {"RV", "48190"},
                           {"CREATED", rfc3339(created)}, {"IMAGE", d.image},
                           {"REPLICAS", d.replicas}})});
  }
  return f;
}

}  // namespace aks::fake_apiserver
