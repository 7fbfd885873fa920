#include "core/oidc_discovery.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/errors.h"
#include "core/json_number.h"
#include "core/sha256.h"
#include "core/terminal_text.h"
#include "core/unique_fd.h"

namespace aks {
namespace {

constexpr std::size_t kMaxDocument = 256 * 1024;

std::string cache_path(const std::string& dir, const std::string& issuer) {
    return dir + "/" + sha256_hex("oidc-discovery\n" + issuer).substr(0, 32) + ".oidc-discovery";
}

// File: first line the fetch time (epoch s), then the document.
std::optional<std::string> read_cached(const std::string& path, std::int64_t now) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::int64_t fetched = 0;
    if (!(in >> fetched) || fetched > now || now - fetched >= kDiscoveryCacheSeconds) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Best effort: a cache we cannot write only costs a request next time.
void write_cached(const std::string& dir, const std::string& path, const std::string& body, std::int64_t now) {
    if (::access(dir.c_str(), W_OK) != 0) return;
    // A unique temporary name (several threads of aks-proxy may fetch at
    // once), 0600 from mkostemp, renamed over the old file: readers never see
    // half a document.
    std::string tmp = path + ".tmp.XXXXXX";
    {
        UniqueFd fd(::mkostemp(&tmp[0], O_CLOEXEC));
        if (!fd) return;
        const std::string data = std::to_string(now) + "\n" + body;
        if (::write(fd.get(), data.data(), data.size()) != static_cast<ssize_t>(data.size()) || ::fsync(fd.get()) != 0) {
            ::unlink(tmp.c_str());
            return;
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) ::unlink(tmp.c_str());
}

}  // namespace

IdentityEndpoints parse_oidc_discovery(const std::string& issuer, const std::string& body) {
    const auto v = parse_json(body);
    if (!v || !v->is<picojson::object>())
        throw AuthError("the discovery document of " + issuer + " is not a JSON object");
    std::string got = json_string_field(*v, "issuer");
    while (!got.empty() && got.back() == '/') got.pop_back();
    if (got != issuer)
        throw AuthError("the discovery document of " + issuer + " names another issuer (" + terminal_line(got) +
                        "); check --oidc-issuer-url");
    IdentityEndpoints e;
    e.token = json_string_field(*v, "token_endpoint");
    e.authorize = json_string_field(*v, "authorization_endpoint");
    e.device_code = json_string_field(*v, "device_authorization_endpoint");
    if (e.token.empty()) throw AuthError("the discovery document of " + issuer + " has no token_endpoint");
    // Codes, refresh tokens and the PKCE verifier go to these endpoints: they
    // use the issuer's scheme (https: --oidc-issuer-url accepts nothing else).
    const std::string scheme = issuer.substr(0, issuer.find("://") + 3);
    for (const std::string* url : {&e.token, &e.authorize, &e.device_code}) {
        if (!url->empty() && url->compare(0, scheme.size(), scheme) != 0)
            throw AuthError("the discovery document of " + issuer + " names an endpoint that is not " +
                            scheme.substr(0, scheme.size() - 3) + ": " + terminal_line(*url));
    }
    return e;
}

IdentityEndpoints discover_oidc_endpoints(HttpClient& http, const std::string& issuer, const std::string& cache_dir,
                                          const Clock& clock) {
    const std::int64_t now = clock();
    const std::string path = cache_dir.empty() ? std::string() : cache_path(cache_dir, issuer);
    if (!path.empty()) {
        if (auto cached = read_cached(path, now)) {
            try {
                return parse_oidc_discovery(issuer, *cached);
            } catch (const AuthError&) {
                // A damaged cache file is a miss.
            }
        }
    }
    // Not found: a wrong --oidc-issuer-url, not worth retrying. HTML, garbage
    // and 5xx are transient (HttpClient); a JSON document is checked below.
    Expect expect = expect_json_field("issuer");
    expect.final_statuses = {404, 410};
    const auto r = http.get(issuer + "/.well-known/openid-configuration", expect);
    if (!r.ok())
        throw AuthError("cannot read the discovery document of " + issuer + " (HTTP " + std::to_string(r.status) +
                        (r.error ? ", " + terminal_line(r.error->error, 64) : std::string()) +
                        "); check --oidc-issuer-url");
    if (r.body.size() > kMaxDocument) throw AuthError("the discovery document of " + issuer + " is too large");
    IdentityEndpoints e = parse_oidc_discovery(issuer, r.body);
    if (!path.empty()) write_cached(cache_dir, path, r.body, now);
    return e;
}

std::string oidc_scope(const std::string& extra_scopes) {
    return extra_scopes.empty() ? "openid offline_access" : "openid offline_access " + extra_scopes;
}

}  // namespace aks
