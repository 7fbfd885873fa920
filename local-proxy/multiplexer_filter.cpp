#include "local-proxy/multiplexer_filter.h"

#include <picojson.h>

#include "core/json_number.h"
#include "local-proxy/request_target.h"

namespace aks::proxy {
namespace {

// Go's encoding/json matches a key to a field name case-insensitively, by
// folding each rune to upper(lower(r)): ASCII letters, and four runes that
// fold into ASCII: U+017F (long s) and U+212A (Kelvin sign) as EqualFold
// says, U+0131 and U+0130 (dotless i, dotted I) to I. Returns the key
// folded that way (other runes kept as they are).
std::string go_fold(const std::string& key) {
    std::string out;
    for (std::size_t i = 0; i < key.size(); ++i) {
        const auto c = static_cast<unsigned char>(key[i]);
        const std::string_view rest(key.data() + i, key.size() - i);
        if (c >= 'a' && c <= 'z') {
            out += static_cast<char>(c - 'a' + 'A');
        } else if (rest.substr(0, 2) == "\xC5\xBF") {  // U+017F
            out += 'S';
            ++i;
        } else if (rest.substr(0, 3) == "\xE2\x84\xAA") {  // U+212A
            out += 'K';
            i += 2;
        } else if (rest.substr(0, 2) == "\xC4\xB1" || rest.substr(0, 2) == "\xC4\xB0") {  // U+0131, U+0130
            out += 'I';
            ++i;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

// The API server routes exactly this path (createWebSocketURL escapes it),
// so it must be as canonical as the paths of plain requests.
std::optional<std::string> path_problem(const std::string& path) {
    for (const char c : path)
        if (c == '%' || c == '?' || c == '#') return std::string("'") + c + "'";
    // Go's JSON decoding turns an invalid byte into U+FFFD (valid), RE2 would
    // see the raw byte: such a path is refused with the other shapes
    // canonical_path refuses.
    if (const char* problem = decoded_path_problem(path)) return std::string(problem);
    return std::nullopt;
}

}  // namespace

std::optional<std::string> multiplexer_refusal(std::string_view frame, const RequestFilter& filter,
                                               std::string_view cluster) {
    // Strict JSON, nothing after it, nesting bounded, numbers beyond double
    // refused instead of thrown (core/json_number.h).
    const std::optional<picojson::value> v = parse_json(frame);
    if (!v || !v->is<picojson::object>()) return std::string("not a JSON object");
    const picojson::object& o = v->get<picojson::object>();
    const picojson::value* path_value = nullptr;
    const picojson::value* cluster_value = nullptr;
    for (const auto& [key, value] : o) {
        const std::string folded = go_fold(key);
        const picojson::value** slot = folded == "PATH" ? &path_value : folded == "CLUSTERID" ? &cluster_value : nullptr;
        if (!slot) continue;
        if (*slot) return "more than one " + std::string(slot == &path_value ? "path" : "clusterId") + " key";
        *slot = &value;
    }
    if (cluster_value && (!cluster_value->is<std::string>() || cluster_value->get<std::string>() != cluster))
        return "a clusterId other than '" + std::string(cluster) + "'";
    if (!path_value) return std::nullopt;  // Headlamp opens nothing without a path
    if (!path_value->is<std::string>()) return std::string("a path that is not a string");
    std::string path = path_value->get<std::string>();
    if (path.empty()) return std::nullopt;
    if (path.front() != '/') path.insert(path.begin(), '/');  // singleJoiningSlash
    // Not echoed: such a path may hold any byte, line breaks included.
    if (auto problem = path_problem(path)) return "a path with " + *problem;
    if (filter.path_rejected(path)) return "path '" + path + "' is refused (see --reject-paths)";
    return std::nullopt;
}

}  // namespace aks::proxy
