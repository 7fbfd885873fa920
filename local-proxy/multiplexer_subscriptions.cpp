#include "local-proxy/multiplexer_subscriptions.h"

#include <picojson.h>

#include <algorithm>

#include "core/json_number.h"

namespace aks::proxy {
namespace {

std::string field(const picojson::object& o, const char* name) {
    auto it = o.find(name);
    return it != o.end() && it->second.is<std::string>() ? it->second.get<std::string>() : std::string();
}

}  // namespace

void MultiplexerSubscriptions::observe(std::string_view message) {
    if (message.size() > kMaxMessage) return;
    const std::optional<picojson::value> v = parse_json(message);
    if (!v || !v->is<picojson::object>()) return;
    const picojson::object& o = v->get<picojson::object>();
    const std::string type = field(o, "type"), cluster = field(o, "clusterId"), path = field(o, "path"),
                      user = field(o, "userId");
    // multiplexer.go HandleClientWebSocket drops messages without these.
    if (cluster.empty() || path.empty() || user.empty() || type.empty()) return;
    // The key as createConnectionKey builds it (NUL-separated here, so that
    // no value can imitate another key).
    const std::string key = cluster + '\0' + path + '\0' + user;
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.key == key; });
    if (type == "CLOSE") {
        if (it != entries_.end()) entries_.erase(it);
    } else if (type == "REQUEST") {
        if (it != entries_.end()) {
            it->request = std::string(message);
        } else if (entries_.size() < kMaxSubscriptions) {
            entries_.push_back({key, std::string(message)});
        }
    }
}

std::vector<std::string> MultiplexerSubscriptions::replay() const {
    std::vector<std::string> out;
    out.reserve(entries_.size());
    for (const Entry& e : entries_) out.push_back(e.request);
    return out;
}

}  // namespace aks::proxy
