// What aks-proxy lets through to Headlamp's /wsMultiplexer
// (local-proxy/multiplexer_filter.h), with kubectl proxy's default filters.
//
// Property: for every frame multiplexer_refusal lets through (serving
// cluster "main"), the clusterId Go would read is absent or "main", and the path Go's
// json.Unmarshal would give Headlamp (read here by a scanner of our own:
// top-level keys in document order, ASCII case folded, the last "path"
// winning, \u escapes and surrogate pairs decoded) is absent or empty, or,
// joined to "/" as Headlamp does, is canonical (no empty or dot segment, no
// '%', '?', '#' or control character) and not on the default reject list
// (exec, attach, the kubelet's run/exec/attach; matched by hand). A path
// value that is not a string is never let through. Refusals are one line.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "local-proxy/multiplexer_filter.h"
#include "tests/fuzz/default_reject_paths.h"

namespace {

[[noreturn]] void violated(const char* what) {
    std::fprintf(stderr, "PROPERTY VIOLATED: %s\n", what);
    std::abort();
}

void skip_ws(std::string_view s, std::size_t& i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
}

void put_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::optional<std::uint32_t> hex4(std::string_view s, std::size_t at) {
    if (at + 4 > s.size()) return std::nullopt;
    std::uint32_t v = 0;
    for (std::size_t k = at; k < at + 4; ++k) {
        const char c = s[k];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= c - '0';
        else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
        else return std::nullopt;
    }
    return v;
}

// A JSON string at s[i] == '"'; i ends after the closing quote.
std::optional<std::string> read_string(std::string_view s, std::size_t& i) {
    std::string out;
    ++i;
    while (i < s.size()) {
        const char c = s[i++];
        if (c == '"') return out;
        if (c != '\\') {
            out += c;
            continue;
        }
        if (i >= s.size()) return std::nullopt;
        const char e = s[i++];
        switch (e) {
            case '"': case '\\': case '/': out += e; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                auto cp = hex4(s, i);
                if (!cp) return std::nullopt;
                i += 4;
                if (*cp >= 0xD800 && *cp < 0xDC00 && i + 6 <= s.size() && s[i] == '\\' && s[i + 1] == 'u') {
                    if (auto lo = hex4(s, i + 2); lo && *lo >= 0xDC00 && *lo < 0xE000) {
                        *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*lo - 0xDC00);
                        i += 6;
                    }
                }
                put_utf8(out, *cp);
                break;
            }
            default: return std::nullopt;
        }
    }
    return std::nullopt;
}

// Skips one (already validated) JSON value at s[i].
void skip_value(std::string_view s, std::size_t& i) {
    int depth = 0;
    do {
        skip_ws(s, i);
        if (i >= s.size()) return;
        const char c = s[i];
        if (c == '"') {
            read_string(s, i);
        } else if (c == '{' || c == '[') {
            ++depth;
            ++i;
        } else if (c == '}' || c == ']') {
            --depth;
            ++i;
        } else if (c == ',' || c == ':') {
            ++i;
        } else {  // a number or literal: up to the next delimiter
            while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' && s[i] != '\t' &&
                   s[i] != '\r' && s[i] != '\n')
                ++i;
        }
    } while (depth > 0);
}

struct GoField {
    bool present = false;
    bool is_string = false;
    std::string value;
};

// Go's key folding (encoding/json: upper(lower(rune))), rune by rune: ASCII
// letters, and the four runes that fold into ASCII.
std::string go_key(const std::string& key) {
    std::string out;
    for (std::size_t i = 0; i < key.size();) {
        const auto c = static_cast<unsigned char>(key[i]);
        // One rune as Go decodes it: an invalid or overlong sequence is one
        // byte that folds to nothing (Go reads it as U+FFFD).
        const auto cont = [&](std::size_t k) {
            return k < key.size() && (static_cast<unsigned char>(key[k]) & 0xC0u) == 0x80u;
        };
        std::uint32_t cp = c;
        std::size_t n = 1;
        if (c >= 0xC0 && c < 0xE0 && cont(i + 1)) {
            const std::uint32_t v = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(key[i + 1]) & 0x3Fu);
            if (v >= 0x80) cp = v, n = 2;
            else cp = 0xFFFD;
        } else if (c >= 0xE0 && c < 0xF0 && cont(i + 1) && cont(i + 2)) {
            const std::uint32_t v = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(key[i + 1]) & 0x3Fu) << 6) |
                                    (static_cast<unsigned char>(key[i + 2]) & 0x3Fu);
            if (v >= 0x800) cp = v, n = 3;
            else cp = 0xFFFD;
        } else if (c >= 0x80) {
            cp = 0xFFFD;
        }
        if (cp >= 'a' && cp <= 'z') out += static_cast<char>(cp - 32);
        else if (cp == 0x17F) out += 'S';
        else if (cp == 0x212A) out += 'K';
        else if (cp == 0x131 || cp == 0x130) out += 'I';
        else out.append(key, i, n);
        i += n;
    }
    return out;
}

// The field Go would read for `name` (folded, e.g. "PATH"): top-level
// members in order, the last key that folds to it wins. Assumes valid JSON
// (a frame the filter lets through parsed as an object).
GoField go_field(std::string_view s, const std::string& name) {
    GoField p;
    std::size_t i = 0;
    skip_ws(s, i);
    if (i >= s.size() || s[i] != '{') return p;
    ++i;
    for (;;) {
        skip_ws(s, i);
        if (i >= s.size() || s[i] == '}') return p;
        if (s[i] == ',') {
            ++i;
            continue;
        }
        auto key = read_string(s, i);
        if (!key) return p;
        skip_ws(s, i);
        if (i < s.size() && s[i] == ':') ++i;
        skip_ws(s, i);
        if (go_key(*key) == name) {
            p.present = true;
            if (i < s.size() && s[i] == '"') {
                p.is_string = true;
                p.value = read_string(s, i).value_or("");
                continue;
            }
            p.is_string = false;
        }
        skip_value(s, i);
    }
}


bool canonical(const std::string& path) {
    for (const char c : path)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '%' || c == '?' || c == '#') return false;
    if (path.find("//") != std::string::npos) return false;
    for (const char* dot : {"/./", "/../"})
        if (path.find(dot) != std::string::npos) return false;
    const auto ends_with = [&](std::string_view t) {
        return path.size() >= t.size() && path.compare(path.size() - t.size(), t.size(), t) == 0;
    };
    return !ends_with("/.") && !ends_with("/..");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const aks::proxy::RequestFilter filter{aks::proxy::FilterSpec{}};
    const std::string_view frame(reinterpret_cast<const char*>(data), size);
    const auto refusal = aks::proxy::multiplexer_refusal(frame, filter, "main");
    if (refusal) {
        if (refusal->empty() || refusal->find('\n') != std::string::npos) violated("a refusal is not one line");
        return 0;
    }
    const GoField cluster = go_field(frame, "CLUSTERID");
    if (cluster.present && (!cluster.is_string || cluster.value != "main"))
        violated("a message for another cluster went to Headlamp");
    const GoField p = go_field(frame, "PATH");
    if (!p.present || (p.is_string && p.value.empty())) return 0;
    if (!p.is_string) violated("a path that is not a string went to Headlamp");
    const std::string path = p.value.front() == '/' ? p.value : "/" + p.value;
    if (!canonical(path)) violated("a path that is not canonical went to Headlamp");
    if (aks::fuzz::pods_exec_or_attach(path) || aks::fuzz::kubelet_run_exec_attach(path)) violated("a path on the default reject list went to Headlamp");
    return 0;
}
