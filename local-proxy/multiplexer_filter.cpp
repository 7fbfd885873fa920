#include "local-proxy/multiplexer_filter.h"

#include <picojson.h>

#include "local-proxy/request_target.h"

namespace aks::proxy {
namespace {

// Go's json field matching for these ASCII names: ASCII case folding
// (encoding/json foldName folds only K and S specially).
bool is_path_key(const std::string& key) {
    static constexpr std::string_view kPath = "path";
    if (key.size() != kPath.size()) return false;
    for (std::size_t i = 0; i < key.size(); ++i) {
        const char c = key[i] >= 'A' && key[i] <= 'Z' ? static_cast<char>(key[i] - 'A' + 'a') : key[i];
        if (c != kPath[i]) return false;
    }
    return true;
}

// The API server routes exactly this path (createWebSocketURL escapes it),
// so it must be as canonical as the paths of plain requests.
std::optional<std::string> path_problem(const std::string& path) {
    for (const char c : path) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "a control character";
        if (c == '%' || c == '?' || c == '#') return std::string("'") + c + "'";
    }
    // Go's JSON decoding turns an invalid byte into U+FFFD (valid), RE2 would see the raw byte.
    if (!valid_utf8(path)) return std::string("bytes that are not UTF-8");
    std::size_t start = 1;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        const std::string_view seg(path.data() + start, end - start);
        if (seg == "." || seg == "..") return "a dot segment";
        if (seg.empty() && end != path.size()) return "an empty segment";
        start = end + 1;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> multiplexer_refusal(std::string_view frame, const RequestFilter& filter) {
    picojson::value v;
    const std::string text(frame);
    std::string err;
    const auto end = picojson::parse(v, text.begin(), text.end(), &err);
    if (!err.empty() || !v.is<picojson::object>()) return std::string("not a JSON object");
    for (auto it = end; it != text.end(); ++it)
        if (*it != ' ' && *it != '\t' && *it != '\r' && *it != '\n') return std::string("data after the JSON object");
    const picojson::object& o = v.get<picojson::object>();
    const picojson::value* path_value = nullptr;
    for (const auto& [key, value] : o) {
        if (!is_path_key(key)) continue;
        if (path_value) return std::string("more than one path key");
        path_value = &value;
    }
    if (!path_value) return std::nullopt;  // Headlamp opens nothing without a path
    if (!path_value->is<std::string>()) return std::string("a path that is not a string");
    std::string path = path_value->get<std::string>();
    if (path.empty()) return std::nullopt;
    if (path.front() != '/') path.insert(path.begin(), '/');  // singleJoiningSlash
    if (auto problem = path_problem(path)) return "path '" + path + "' has " + *problem;
    if (filter.path_rejected(path)) return "path '" + path + "' is refused (see --reject-paths)";
    return std::nullopt;
}

}  // namespace aks::proxy
