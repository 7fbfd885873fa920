// aks-proxy's request path (issue #11): arbitrary client bytes through the
// same steps a ClientSession and its Exchanges take — HeadScanner, Beast's
// parser, admit_request (framing, Host, Origin, Sec-Fetch-Site, launch gate, canonical path,
// RE2 filters, token), prepare_forwarded_request and Beast's serializer, the
// body relayed in pieces — with the client's bytes arriving in reads of a
// size the input chooses. Everything written "upstream" goes into one string.
//
// Property: that string, re-parsed by the strict HTTP/1.1 parser below (not
// Beast), is exactly the sequence of requests the proxy accepted: same count,
// methods, targets (with the upstream's path prefix) and bodies, nothing
// before, between or after them; each carries exactly one Host (the
// upstream's) and one Authorization (the proxy's; to Headlamp only for
// /clusters/main/... and /wsMultiplexer, and no token cookie on paths the
// API server hands to a workload), unambiguous framing
// (one canonical Content-Length or "chunked", never both, no Connection but
// "Upgrade"), a canonical path and method the filters allow (checked here
// independently; in Headlamp mode also the API path under
// /clusters/<name>/), from a client whose Host and Origin were acceptable and
// that carried at most one Sec-Fetch-Site, same-origin or none (never a
// cross-site or same-site browser request), and
// in Headlamp mode only with this run's session cookie, which never goes
// upstream. Only the last request may be cut short, and only when the client
// stopped sending mid-body.
//
// The same property over HTTP/2 (the default upstream protocol): each
// accepted request that is not an upgrade is also sent as the Exchange would
// send it — forwarded_h2_fields of the same prepared request, submitted
// through the proxy's own H2Session, its body as DATA — to an nghttp2 server
// session in memory, which checks the messaging rules of RFC 9113 §8 (no
// connection-specific fields, lower-case names, pseudo-headers first and
// valid, TE only "trailers", Content-Length matching the DATA). What that
// server decodes must be the accepted request again: the same method, path
// and body, :scheme https, :authority the upstream's Host, the proxy's one
// Authorization, none of the hop-by-hop fields, and in Headlamp mode neither
// the session cookie nor identity claims. A stream the server resets, or a
// field it would drop, is a violation.
//
// Input: byte 0 picks the configuration, byte 1 the read size (0: all at once).
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tests/fuzz/default_reject_paths.h"
#include "local-proxy/admission.h"
#include "local-proxy/forwarded_request.h"
#include "local-proxy/h2_headers.h"
#include "local-proxy/h2_session.h"
#include "local-proxy/header_rules.h"
#include "local-proxy/request_head.h"
#include "local-proxy/upstream.h"

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using namespace aks::proxy;

constexpr const char* kToken = "Bearer fuzz.token.value";
constexpr const char* kSecret = "s3cr3t-fuzz";

[[noreturn]] void violated(const char* what, std::string_view detail = {}) {
    std::fprintf(stderr, "PROPERTY VIOLATED: %s: %.*s\n", what, static_cast<int>(std::min<std::size_t>(detail.size(), 300)),
                 detail.data());
    std::abort();
}

class FixedToken : public BearerSource {
public:
    explicit FixedToken(bool have) : have_(have) {}
    std::shared_ptr<const std::string> authorization() const override {
        return have_ ? std::make_shared<const std::string>(kToken) : nullptr;
    }
    std::string missing_token_message() const override { return "run aks-token login"; }

private:
    bool have_;
};

// The configurations: API mode with kubectl proxy's defaults; custom filters
// and a path prefix (a kubeconfig server URL with a path); Headlamp mode; no token.
enum class Mode { Defaults, Custom, Headlamp, NoToken, kCount };

struct Config {
    explicit Config(Mode m)
        : mode(m),
          filter(spec_for(m)),
          tokens(m != Mode::NoToken),
          ctx(upstream, filter, tokens, AccessLog(false)) {
        upstream.host_header = "aks.example:443";
        if (m == Mode::Custom) upstream.path_prefix = "/prefix";
        if (m == Mode::Headlamp) {
            ctx.launch.emplace(kSecret, 8000);
            HeadlampMode h;
            h.cluster = "main";
            h.cookie_cluster = "main";
            h.login_command = "aks-token login --context fuzz";
            h.context = "fuzz";
            ctx.headlamp = h;
        }
        // Small limits, so inputs of a few KiB reach them.
        ctx.limits.head.max_head = 1024;
        ctx.limits.head.max_fields = 16;
        ctx.limits.head.max_request_line = 512;
        ctx.limits.client_buffer = 4096;
        ctx.limits.chunk = 64;
    }
    static FilterSpec spec_for(Mode m) {
        FilterSpec s;
        if (m == Mode::Custom) {
            s.accept_paths = "^/api/,^/apis/,^/version$";
            s.reject_methods = "^(DELETE|PATCH)$";
        }
        return s;
    }
    Mode mode;
    Upstream upstream;
    RequestFilter filter;
    FixedToken tokens;
    ProxyContext ctx;
};

// What the proxy accepted, as the client sent it.
struct Accepted {
    std::string method, target, host, body;
    std::vector<std::string> origins, cookies, fetch_sites;
    bool upgrade = false;
    bool complete = true;
    bool has_body = false;     // the head announced a body (the HTTP/2 stream gets DATA)
    bool te_trailers = false;  // the client's TE named "trailers"
    // The HTTP/2 header list the Exchange would submit for it (not for upgrades).
    std::vector<std::pair<std::string, std::string>> h2_fields;
};

// A SyncWriteStream that appends to the "upstream connection".
struct Sink {
    std::string* out;
    template <class Buffers>
    std::size_t write_some(const Buffers& bs, beast::error_code& ec) {
        ec = {};
        std::size_t n = 0;
        for (auto b : beast::buffers_range_ref(bs)) {
            out->append(static_cast<const char*>(b.data()), b.size());
            n += b.size();
        }
        return n;
    }
    template <class Buffers>
    std::size_t write_some(const Buffers& bs) {
        beast::error_code ec;
        return write_some(bs, ec);
    }
};

// ---- the independent strict parser of what went upstream ----

struct Message {
    std::string method, target, body;
    std::vector<std::pair<std::string, std::string>> fields;  // names lower-cased
    bool complete = false;
    std::size_t count(const char* name) const {
        std::size_t n = 0;
        for (const auto& f : fields) n += f.first == name;
        return n;
    }
    std::string get(const char* name) const {
        for (const auto& f : fields)
            if (f.first == name) return f.second;
        return {};
    }
};

bool tchar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Reads "...\r\n" at pos; a line with a bare CR or LF is a violation.
std::string_view line_at(std::string_view s, std::size_t& pos) {
    const std::size_t eol = s.find("\r\n", pos);
    if (eol == std::string_view::npos) violated("upstream: a head line without CRLF", s.substr(pos));
    const std::string_view line = s.substr(pos, eol - pos);
    if (line.find('\r') != std::string_view::npos || line.find('\n') != std::string_view::npos)
        violated("upstream: a bare CR or LF", line);
    pos = eol + 2;
    return line;
}

std::vector<Message> parse_upstream(std::string_view s) {
    std::vector<Message> out;
    std::size_t pos = 0;
    while (pos < s.size()) {
        if (!out.empty() && !out.back().complete) violated("upstream: bytes after a message that never ended");
        Message m;
        const std::string_view rl = line_at(s, pos);
        const std::size_t sp1 = rl.find(' '), sp2 = rl.rfind(' ');
        if (sp1 == std::string_view::npos || sp1 == sp2) violated("upstream: request line", rl);
        m.method = std::string(rl.substr(0, sp1));
        m.target = std::string(rl.substr(sp1 + 1, sp2 - sp1 - 1));
        if (rl.substr(sp2 + 1) != "HTTP/1.1") violated("upstream: not HTTP/1.1", rl);
        if (m.method.empty() || !std::all_of(m.method.begin(), m.method.end(), tchar)) violated("upstream: method", rl);
        if (m.target.empty() || m.target[0] != '/') violated("upstream: target", rl);
        for (char c : m.target)
            if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) violated("upstream: target byte", rl);
        for (;;) {
            const std::string_view fl = line_at(s, pos);
            if (fl.empty()) break;
            const std::size_t colon = fl.find(':');
            if (colon == 0 || colon == std::string_view::npos) violated("upstream: field line", fl);
            const std::string name(fl.substr(0, colon));
            if (!std::all_of(name.begin(), name.end(), tchar)) violated("upstream: field name", fl);
            std::string_view value = fl.substr(colon + 1);
            while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
            for (char c : value)
                if (c == '\0') violated("upstream: NUL in a field value", fl);
            m.fields.emplace_back(lower(name), std::string(value));
        }
        const std::size_t te = m.count("transfer-encoding"), cl = m.count("content-length");
        if (te && cl) violated("upstream: Content-Length and Transfer-Encoding");
        if (te > 1 || cl > 1) violated("upstream: repeated framing header");
        if (te) {
            if (lower(m.get("transfer-encoding")) != "chunked") violated("upstream: a coding other than chunked");
            // chunk = 1*HEXDIG CRLF data CRLF; last = "0" CRLF CRLF (Beast writes no extensions or trailers)
            for (;;) {
                if (pos == s.size()) break;  // cut short: the client stopped mid-body
                const std::string_view size_line = line_at(s, pos);
                if (size_line.empty() || size_line.size() > 16 ||
                    size_line.find_first_not_of("0123456789abcdefABCDEF") != std::string_view::npos)
                    violated("upstream: chunk size", size_line);
                const std::size_t n = std::stoull(std::string(size_line), nullptr, 16);
                if (n == 0) {
                    if (line_at(s, pos) != "") violated("upstream: trailer after the last chunk");
                    m.complete = true;
                    break;
                }
                if (pos + n + 2 > s.size() || s.substr(pos + n, 2) != "\r\n") violated("upstream: chunk data");
                m.body.append(s.substr(pos, n));
                pos += n + 2;
            }
        } else if (cl) {
            const std::string v = m.get("content-length");
            if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos ||
                (v.size() > 1 && v[0] == '0'))
                violated("upstream: Content-Length", v);
            const std::size_t n = std::stoull(v);
            const std::size_t have = std::min(n, s.size() - pos);
            m.body = std::string(s.substr(pos, have));
            pos += have;
            m.complete = have == n;
        } else {
            m.complete = true;
        }
        out.push_back(std::move(m));
    }
    return out;
}

// ---- independent checks of what was accepted ----

// Canonical as the issue defines it, checked without request_target.cpp.
bool canonical(std::string_view target) {
    const std::string_view path = target.substr(0, target.find('?'));
    if (path.empty() || path[0] != '/' || target.find('#') != std::string_view::npos) return false;
    const std::string p = lower(std::string(path));
    for (const char* bad : {"//", "/./", "/../", "%2f", "%2e", "%25"})
        if (p.find(bad) != std::string::npos) return false;
    if (p.size() >= 2 && p.compare(p.size() - 2, 2, "/.") == 0) return false;
    if (p.size() >= 3 && p.compare(p.size() - 3, 3, "/..") == 0) return false;
    return true;
}

std::string decode(std::string_view path) {
    std::string out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '%' && i + 2 < path.size()) {
            out += static_cast<char>(std::stoi(std::string(path.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += path[i];
        }
    }
    return out;
}

std::string bare_host(std::string h) {
    if (!h.empty() && h[0] == '[') return h.substr(0, h.find(']') + 1);
    const std::size_t colon = h.find(':');
    return colon == std::string::npos ? h : h.substr(0, colon);
}

// A "name=value" pair with exactly this name (and value, when given) in a
// Cookie header of "; "-separated pairs, split here without cookie_header.cpp.
bool has_cookie(std::string_view header, std::string_view name, const char* value = nullptr) {
    const auto trim = [](std::string_view v) {
        while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
        while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
        return v;
    };
    while (!header.empty()) {
        const std::size_t semi = header.find(';');
        const std::string_view pair = header.substr(0, semi);
        const std::size_t eq = pair.find('=');
        if (trim(pair.substr(0, eq)) == name &&
            (!value || (eq != std::string_view::npos && trim(pair.substr(eq + 1)) == value)))
            return true;
        if (semi == std::string_view::npos) break;
        header.remove_prefix(semi + 1);
    }
    return false;
}

// The default reject list (default_reject_paths.h).
void check_default_rejects(const std::string& path, const char* what) {
    if (aks::fuzz::pods_exec_or_attach(path))
        violated((std::string("an exec/attach path passed the default reject list") + what).c_str(), path);
    if (aks::fuzz::kubelet_run_exec_attach(path))
        violated((std::string("the kubelet's run/exec/attach via nodes/proxy passed the default reject list") + what)
                     .c_str(),
                 path);
}

// Headlamp mode (base "/"): what follows /clusters/, "" when the path is not under it.
std::string after_clusters(const std::string& path) {
    return path.rfind("/clusters/", 0) == 0 ? path.substr(10) : std::string();
}

// A "name=value" pair whose name starts with `prefix` in a Cookie header.
bool has_cookie_prefix(std::string_view header, std::string_view prefix) {
    while (!header.empty()) {
        const std::size_t semi = header.find(';');
        std::string_view pair = header.substr(0, semi);
        while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) pair.remove_prefix(1);
        if (pair.substr(0, prefix.size()) == prefix) return true;
        if (semi == std::string_view::npos) break;
        header.remove_prefix(semi + 1);
    }
    return false;
}

void check_accepted(const Config& c, const Accepted& a) {
    if (c.mode == Mode::NoToken) violated("forwarded without a token", a.target);
    if (!canonical(a.target)) violated("a path that is not canonical was forwarded", a.target);
    const std::string path = decode(a.target.substr(0, a.target.find('?')));
    check_default_rejects(path, "");
    // Headlamp sends /clusters/<name>/<API path> to the API server as <API path>.
    if (c.mode == Mode::Headlamp) {
        const std::string rest = after_clusters(path);
        const std::size_t slash = rest.find('/');
        if (slash != std::string::npos && slash > 0) check_default_rejects(rest.substr(slash), " (under /clusters/)");
    }
    if (c.mode == Mode::Custom) {
        if (a.method == "DELETE" || a.method == "PATCH") violated("a rejected method was forwarded", a.method);
        if (path.rfind("/api/", 0) != 0 && path.rfind("/apis/", 0) != 0 && path != "/version")
            violated("a path outside --accept-paths was forwarded", path);
    }
    const std::string host = bare_host(a.host);
    if (host != "localhost" && host != "127.0.0.1" && host != "[::1]") violated("a foreign Host was accepted", a.host);
    if (a.origins.size() > 1 || (a.origins.size() == 1 && lower(a.origins[0]) != "http://" + lower(a.host)))
        violated("a foreign Origin was accepted", a.origins.empty() ? "" : a.origins[0]);
    // Fetch Metadata: a browser request another site or port started never goes upstream.
    if (a.fetch_sites.size() > 1) violated("a request with two Sec-Fetch-Site fields was accepted");
    for (const std::string& site : a.fetch_sites) {
        std::string_view v = site;
        while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
        while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
        if (v != "same-origin" && v != "none") violated("a request with this Sec-Fetch-Site was accepted", site);
    }
    if (c.mode == Mode::Headlamp) {
        bool has = false;
        for (const std::string& cookie : a.cookies) has |= has_cookie(cookie, "aks-proxy-8000", kSecret);
        if (!has) violated("Headlamp mode forwarded a request without the session cookie", a.target);
        if (path.rfind("/.aks-proxy/launch", 0) == 0 && path.size() == 18) violated("the launch URL was forwarded");
    }
}

// Headlamp mode: the token goes only to /clusters/main/... and
// /wsMultiplexer; elsewhere Headlamp could pass it to another cluster or URL
// (headlamp_request.h).
bool is_tokenless(const Config& c, const Accepted& a) {
    if (c.mode != Mode::Headlamp) return false;
    const std::string path = decode(a.target.substr(0, a.target.find('?')));
    return !(path == "/clusters/main" || path.rfind("/clusters/main/", 0) == 0 || path == "/wsMultiplexer");
}

// Headlamp mode: a path the API server hands to a workload (services, pods
// or nodes .../<name>/proxy[/...]) under /clusters/<name>/, split by hand.
bool to_workload(const Config& c, const Accepted& a) {
    if (c.mode != Mode::Headlamp) return false;
    const std::string path = decode(a.target.substr(0, a.target.find('?')));
    std::vector<std::string> seg;
    for (std::size_t i = 1; i <= path.size();) {
        const std::size_t j = std::min(path.find('/', i), path.size());
        seg.push_back(path.substr(i, j - i));
        i = j + 1;
    }
    if (seg.size() < 2 || seg[0] != "clusters") return false;
    for (std::size_t k = 4; k < seg.size(); ++k)
        if (seg[k] == "proxy" && (seg[k - 2] == "services" || seg[k - 2] == "pods" || seg[k - 2] == "nodes"))
            return true;
    return false;
}

// What either upstream protocol must carry: the accepted request, the proxy's
// Authorization, no hop-by-hop field, in Headlamp mode no session cookie and
// no identity claims. `m.fields` are the regular fields (names lower case).
void check_common(const Config& c, const Accepted& a, const Message& m) {
    if (m.method != a.method) violated("upstream method differs", m.method);
    if (m.target != c.upstream.path_prefix + a.target) violated("upstream target differs", m.target);
    if (m.body != a.body) violated("upstream body differs from the body the proxy read", m.target);
    if (m.complete != a.complete) violated("upstream message completeness differs", m.target);
    // In Headlamp mode only /clusters/main/... and /wsMultiplexer carry the
    // token (headlamp_request.h); in API mode everything does.
    const bool tokenless = is_tokenless(c, a);
    if (tokenless ? m.count("authorization") != 0 : (m.count("authorization") != 1 || m.get("authorization") != kToken))
        violated("upstream Authorization is not exactly the proxy's (none for /externalproxy, other clusters)",
                 m.get("authorization"));
    for (const char* never : {"proxy-authorization", "expect", "keep-alive", "trailer", "proxy-connection"})
        if (m.count(never)) violated("a hop-by-hop field went upstream", never);
    if (c.mode == Mode::Headlamp)
        for (const auto& f : m.fields) {
            if (f.first == "cookie" && has_cookie(f.second, "aks-proxy-8000"))
                violated("the session cookie went upstream", f.second);
            // Every headlamp-auth-* cookie upstream is the proxy's (the client's are
            // dropped); the client's own cookies may hold any text, the token's too.
            if (f.first == "cookie" && (tokenless || to_workload(c, a)) && has_cookie_prefix(f.second, "headlamp-auth-"))
                violated("the token went in a cookie where Headlamp would pass it on", f.second);
            if (f.first.rfind("x-forwarded-", 0) == 0 && f.first != "x-forwarded-for" && f.first != "x-forwarded-proto" &&
                f.first != "x-forwarded-host")
                violated("an identity claim went to Headlamp", f.first);
        }
}

void check_message(const Config& c, const Accepted& a, const Message& m) {
    check_common(c, a, m);
    if (m.count("host") != 1 || m.get("host") != c.upstream.host_header) violated("upstream Host", m.get("host"));
    if (m.count("te")) violated("a hop-by-hop field went upstream", "te");
    if (m.count("connection") && (!a.upgrade || m.count("connection") != 1 || m.get("connection") != "Upgrade"))
        violated("upstream Connection", m.get("connection"));
    if (!a.body.empty() && !m.count("content-length") && !m.count("transfer-encoding"))
        violated("a body went upstream without framing", m.target);
}

// ---- HTTP/2: the proxy's H2Session to an nghttp2 server in memory ----

// The request body as the Exchange's on_h2_body gives it: all of it, then the
// end, or (the client left mid-body) a wait that never ends.
struct BodySource : H2StreamHandler {
    std::string body;
    bool complete = true;
    std::size_t pos = 0;
    void on_h2_head(int, const std::vector<H2Field>&, bool) override {}
    std::size_t on_h2_data(const char*, std::size_t size) override { return size; }
    void on_h2_end(const H2End&) override {}
    H2BodyChunk on_h2_body(char* buf, std::size_t size) override {
        H2BodyChunk chunk;
        chunk.size = std::min(size, body.size() - pos);
        std::memcpy(buf, body.data() + pos, chunk.size);
        pos += chunk.size;
        if (pos == body.size()) {
            chunk.eof = complete;
            chunk.wait = !complete && chunk.size == 0;
        }
        return chunk;
    }
};

// nghttp2's server side with its HTTP messaging checks on (the default), as
// an API server would receive the stream.
struct H2Server {
    struct Received {
        std::vector<std::pair<std::string, std::string>> fields;  // as decoded, pseudo-headers included
        std::string body;
        bool ended = false, headers = false, invalid = false;
        std::uint32_t closed_with = 0;
    };
    nghttp2_session* session = nullptr;
    std::map<std::int32_t, Received> streams;

    H2Server() {
        nghttp2_session_callbacks* cbs = nullptr;
        if (nghttp2_session_callbacks_new(&cbs) != 0) violated("nghttp2 callbacks");
        nghttp2_session_callbacks_set_on_header_callback(
            cbs, [](nghttp2_session*, const nghttp2_frame* f, const uint8_t* n, size_t nl, const uint8_t* v, size_t vl,
                    uint8_t, void* p) {
                static_cast<H2Server*>(p)->streams[f->hd.stream_id].fields.emplace_back(
                    std::string(reinterpret_cast<const char*>(n), nl), std::string(reinterpret_cast<const char*>(v), vl));
                return 0;
            });
        // A field nghttp2 would otherwise drop silently.
        nghttp2_session_callbacks_set_on_invalid_header_callback(
            cbs, [](nghttp2_session*, const nghttp2_frame* f, const uint8_t*, size_t, const uint8_t*, size_t, uint8_t,
                    void* p) {
                static_cast<H2Server*>(p)->streams[f->hd.stream_id].invalid = true;
                return 0;
            });
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(
            cbs, [](nghttp2_session*, uint8_t, int32_t id, const uint8_t* d, size_t len, void* p) {
                static_cast<H2Server*>(p)->streams[id].body.append(reinterpret_cast<const char*>(d), len);
                return 0;
            });
        nghttp2_session_callbacks_set_on_frame_recv_callback(cbs, [](nghttp2_session*, const nghttp2_frame* f, void* p) {
            auto& r = static_cast<H2Server*>(p)->streams[f->hd.stream_id];
            if (f->hd.type == NGHTTP2_HEADERS) r.headers = true;
            if ((f->hd.type == NGHTTP2_HEADERS || f->hd.type == NGHTTP2_DATA) && (f->hd.flags & NGHTTP2_FLAG_END_STREAM))
                r.ended = true;
            return 0;
        });
        nghttp2_session_callbacks_set_on_stream_close_callback(cbs, [](nghttp2_session*, int32_t id, uint32_t code, void* p) {
            static_cast<H2Server*>(p)->streams[id].closed_with = code;
            return 0;
        });
        const int rv = nghttp2_session_server_new(&session, cbs, this);
        nghttp2_session_callbacks_del(cbs);
        if (rv != 0) violated("nghttp2 server");
        nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, nullptr, 0);
    }
    ~H2Server() { nghttp2_session_del(session); }
    H2Server(const H2Server&) = delete;
    H2Server& operator=(const H2Server&) = delete;
};

// Sends the accepted request's HTTP/2 fields and body; returns the message
// the server decoded (regular fields in m.fields, pseudo-headers checked here).
Message h2_round_trip(const Config& c, const Accepted& a) {
    std::vector<H2Field> fields;
    for (const auto& f : a.h2_fields) fields.emplace_back(f.first, f.second);
    H2Session client{H2Session::Settings{}};
    H2Server server;
    auto body = std::make_shared<BodySource>();
    body->body = a.body;
    body->complete = a.complete;
    const std::int32_t id = client.submit(fields, a.has_body, body);
    if (id <= 0) violated("HTTP/2: the request was not submitted", a.target);
    // Both directions until neither side has anything to say (window updates included).
    for (int round = 0; round < 1000; ++round) {
        std::string out;
        if (!client.take_output(out, 1 << 20)) violated("HTTP/2 client session failed", a.target);
        if (!out.empty() && nghttp2_session_mem_recv(server.session, reinterpret_cast<const uint8_t*>(out.data()),
                                                     out.size()) != static_cast<ssize_t>(out.size()))
            violated("HTTP/2: the server refused the connection's bytes", a.target);
        std::string back;
        for (;;) {
            const uint8_t* data = nullptr;
            const ssize_t n = nghttp2_session_mem_send(server.session, &data);
            if (n < 0) violated("HTTP/2 server send", a.target);
            if (n == 0) break;
            back.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
        }
        if (!back.empty() && !client.receive(back.data(), back.size())) violated("HTTP/2: the client refused the server's bytes");
        if (out.empty() && back.empty()) break;
    }
    const H2Server::Received& r = server.streams[id];
    if (r.invalid) violated("HTTP/2: a field the server would drop as invalid", a.target);
    if (r.closed_with != 0) violated("HTTP/2: the server reset the stream (RFC 9113 §8 messaging)", a.target);
    if (!r.headers) violated("HTTP/2: no request head reached the server", a.target);
    // HPACK in and out: the server decodes exactly the list that was submitted.
    if (r.fields != a.h2_fields) violated("HTTP/2: the server decoded other fields than were submitted", a.target);
    Message m;
    m.body = r.body;
    m.complete = r.ended;
    std::size_t at = 0;
    const auto pseudo = [&](const char* name) -> std::string {
        if (at >= r.fields.size() || r.fields[at].first != name) violated("HTTP/2: pseudo-header order", name);
        return r.fields[at++].second;
    };
    m.method = pseudo(":method");
    if (pseudo(":scheme") != "https") violated("HTTP/2: :scheme");
    if (pseudo(":authority") != c.upstream.host_header) violated("HTTP/2: :authority is not the upstream's Host");
    m.target = pseudo(":path");
    for (; at < r.fields.size(); ++at) {
        const auto& [name, value] = r.fields[at];
        if (name.empty() || name[0] == ':') violated("HTTP/2: a pseudo-header after the regular fields", name);
        if (name != lower(name)) violated("HTTP/2: an upper-case field name", name);
        for (const char* never : {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host"})
            if (name == never) violated("HTTP/2: a connection-specific field (RFC 9113 §8.2.2)", name);
        if (name == "te" && (value != "trailers" || !a.te_trailers)) violated("HTTP/2: TE", value);
        for (char ch : value)
            if (ch == '\0' || ch == '\r' || ch == '\n') violated("HTTP/2: NUL, CR or LF in a field value", name);
        m.fields.emplace_back(name, value);
    }
    if (m.count("content-length") > 1) violated("HTTP/2: repeated Content-Length");
    if (m.count("content-length") && a.complete && m.get("content-length") != std::to_string(a.body.size()))
        violated("HTTP/2: Content-Length differs from the body", m.get("content-length"));
    return m;
}

// ---- the session, as ClientSession + Exchange run it ----

void run(Config& c, std::string_view input, std::size_t step) {
    std::string buf;
    std::size_t fed = 0;
    const auto feed = [&]() {
        if (fed == input.size()) return false;
        const std::size_t room = c.ctx.limits.client_buffer - buf.size();
        const std::size_t n = std::min({step, input.size() - fed, room});
        if (n == 0) return false;
        buf.append(input.substr(fed, n));
        fed += n;
        return true;
    };
    std::vector<Accepted> accepted;
    std::string upstream;
    Sink sink{&upstream};

    for (;;) {
        if (buf.empty() && !feed()) break;
        HeadScanner scanner(c.ctx.limits.head);
        HeadState state;
        bool client_gone = false;
        while ((state = scanner.scan(buf)) == HeadState::Incomplete)
            if (!feed()) {
                client_gone = true;
                break;
            }
        if (client_gone || state != HeadState::Complete) break;  // refused (and closed), or the client left
        http::request_parser<http::buffer_body> p;
        p.header_limit(static_cast<std::uint32_t>(scanner.size() + 1));
        p.body_limit(kNoBodyLimit);
        beast::error_code ec;
        const std::size_t used = p.put(net::buffer(buf.data(), scanner.size()), ec);
        if (ec || used != scanner.size() || !p.is_header_done()) break;  // 400, closed
        buf.erase(0, used);
        auto& req = p.get();
        Admission adm = admit_request(req, p.is_done(), c.ctx);
        if (adm.reply) {
            if (!adm.reply->keep_alive()) break;
            continue;
        }
        Accepted a;
        a.method = std::string(req.method_string());
        a.target = std::string(req.target());
        a.host = std::string(req[http::field::host]);
        for (auto it = req.find(http::field::origin); it != req.end() && it->name() == http::field::origin; ++it)
            a.origins.emplace_back(it->value());
        for (auto it = req.find(http::field::cookie); it != req.end() && it->name() == http::field::cookie; ++it)
            a.cookies.emplace_back(it->value());
        for (const auto& f : req)  // by name: Beast has no enumerator for it
            if (lower(std::string(f.name_string())) == "sec-fetch-site") a.fetch_sites.emplace_back(f.value());
        a.upgrade = is_upgrade_request(req);
        a.has_body = !p.is_done();
        a.te_trailers = te_has_trailers(req);  // read before the hop-by-hop strip, as the Exchange does
        const bool keep_alive = req.keep_alive() && !a.upgrade;
        prepare_forwarded_request(req, c.ctx, *adm.authorization, a.upgrade, p.chunked(), p.content_length());
        if (!a.upgrade) {  // upgrades always go over HTTP/1.1
            std::string names;
            for (const H2Field& f : forwarded_h2_fields(req, a.te_trailers, names))
                a.h2_fields.emplace_back(f.first, f.second);
        }
        http::request_serializer<http::buffer_body> sr(req);
        http::write_header(sink, sr, ec);
        if (ec) violated("serializer head", ec.message());
        // The body in pieces of limits.chunk, as the Exchange relays it.
        std::vector<char> chunk(c.ctx.limits.chunk);
        while (!p.is_done()) {
            auto& body = req.body();
            body.data = chunk.data();
            body.size = chunk.size();
            if (buf.empty() && !feed()) {
                a.complete = false;  // the client vanished mid-body: the Exchange ends
                break;
            }
            const std::size_t n = p.put(net::buffer(buf), ec);
            buf.erase(0, n);
            if (ec == http::error::need_buffer || ec == http::error::need_more) ec = {};
            if (ec) {
                a.complete = false;  // a broken chunked body: the Exchange ends
                break;
            }
            const std::size_t got = chunk.size() - body.size;
            if (n == 0 && got == 0 && !p.is_done() && !feed()) {
                a.complete = false;
                break;
            }
            a.body.append(chunk.data(), got);
            body.data = got ? chunk.data() : nullptr;
            body.size = got;
            body.more = !p.is_done();
            if (got == 0 && body.more) continue;
            http::write(sink, sr, ec);
            if (ec == http::error::need_buffer) ec = {};
            if (ec) violated("serializer body", ec.message());
        }
        if (a.complete && !sr.is_done()) {
            req.body().data = nullptr;
            req.body().size = 0;
            req.body().more = false;
            http::write(sink, sr, ec);
            if (ec == http::error::need_buffer) ec = {};
            if (ec) violated("serializer end", ec.message());
        }
        accepted.push_back(std::move(a));
        if (!accepted.back().complete || accepted.back().upgrade || !keep_alive) break;  // closed, or a tunnel now
    }

    const std::vector<Message> sent = parse_upstream(upstream);
    if (sent.size() != accepted.size()) violated("upstream message count differs from the accepted count", upstream);
    for (std::size_t i = 0; i < sent.size(); ++i) {
        check_accepted(c, accepted[i]);
        check_message(c, accepted[i], sent[i]);
        if (!accepted[i].upgrade) check_common(c, accepted[i], h2_round_trip(c, accepted[i]));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Config configs[] = {Config(Mode::Defaults), Config(Mode::Custom), Config(Mode::Headlamp),
                               Config(Mode::NoToken)};
    if (size < 2) return 0;
    Config& c = configs[data[0] % static_cast<int>(Mode::kCount)];
    const std::size_t step = data[1] == 0 ? size : data[1];
    run(c, std::string_view(reinterpret_cast<const char*>(data) + 2, size - 2), step);
    return 0;
}
