#include "tests/fakes/fake-entra/token_issuer.h"

#include <sstream>

namespace aks::fake_entra {
namespace {

const char kGraphAppId[] = "00000003-0000-0000-c000-000000000000";

std::vector<std::string> split_scope(const std::string& scope) {
    std::istringstream in(scope);
    std::vector<std::string> out;
    for (std::string item; in >> item;) out.push_back(item);
    return out;
}

bool is_oidc_scope(const std::string& s) {
    return s == "openid" || s == "profile" || s == "offline_access" || s == "email";
}

// A stable uuid-shaped id derived from a string (service principal object ids).
std::string uuid_from(const std::string& seed) {
    std::string h = sha256(seed);
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += hex[(static_cast<unsigned char>(h[i]) >> 4) & 15];
        out += hex[static_cast<unsigned char>(h[i]) & 15];
    }
    return out;
}

std::string access_token(const Fake& fake, const Grant& g, std::int64_t iat, std::int64_t exp) {
    const std::string issuer = "https://sts.windows.net/" + g.tid + "/";
    OrderedJson c;
    c.add("aud", resource_from_scope(g.scope))
        .add("iss", issuer)
        .add("iat", iat)
        .add("nbf", iat)
        .add("exp", exp)
        .add("aio", random_token(48));
    if (g.user) {
        c.add("acr", "1")
            .add("amr", string_array({"pwd"}))
            .add("appid", g.client_id)
            .add("appidacr", g.appidacr);
        if (!g.who.groups.empty()) c.add("groups", string_array(g.who.groups));
        c.add("ipaddr", "127.0.0.1")
            .add("name", g.who.name)
            .add("oid", g.who.oid)
            .add("rh", random_token(24))
            .add("scp", "user_impersonation")
            .add("sub", base64url(sha256(g.who.oid + "|" + g.client_id)))
            .add("tid", g.tid)
            .add("unique_name", g.who.upn)
            .add("upn", g.who.upn);
    } else {
        const std::string sp_oid = uuid_from("sp|" + g.client_id);
        c.add("appid", g.client_id)
            .add("appidacr", g.appidacr)
            .add("idp", issuer)
            .add("idtyp", "app")
            .add("oid", sp_oid)
            .add("rh", random_token(24))
            .add("sub", sp_oid)
            .add("tid", g.tid);
    }
    c.add("uti", random_token(16)).add("ver", "1.0");
    return make_jwt(fake.signer, c);
}

std::string id_token(const Fake& fake, const Grant& g, std::int64_t iat, std::int64_t exp) {
    OrderedJson c;
    c.add("aud", g.client_id)
        .add("iss", fake.base_url + "/" + g.tid + "/v2.0")
        .add("iat", iat)
        .add("nbf", iat)
        .add("exp", exp)
        .add("name", g.who.name);
    if (!g.nonce.empty()) c.add("nonce", g.nonce);
    c.add("oid", g.who.oid)
        .add("preferred_username", g.who.upn)
        .add("rh", random_token(24))
        .add("sub", base64url(sha256(g.who.oid + "|" + g.client_id)))
        .add("tid", g.tid)
        .add("uti", random_token(16))
        .add("ver", "2.0");
    return make_jwt(fake.signer, c);
}

}  // namespace

std::string make_jwt(const RsaSigner& signer, const OrderedJson& claims) {
    const std::string header =
        OrderedJson().add("alg", "RS256").add("typ", "JWT").add("kid", signer.kid()).str();
    const std::string signing_input = base64url(header) + "." + base64url(claims.str());
    return signing_input + "." + base64url(signer.sign_rs256(signing_input));
}

bool scope_has(const std::string& scope, const std::string& item) {
    for (const auto& s : split_scope(scope))
        if (s == item) return true;
    return false;
}

std::string resource_from_scope(const std::string& scope) {
    for (const auto& s : split_scope(scope)) {
        if (is_oidc_scope(s)) continue;
        const std::string suffix = "/.default";
        if (s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0)
            return s.substr(0, s.size() - suffix.size());
        // "api://x/read" or "6dae.../user.read": the resource is before the last '/'.
        const auto scheme = s.find("://");
        const std::size_t min_slash = scheme == std::string::npos ? 0 : scheme + 3;
        const auto slash = s.rfind('/');
        if (slash != std::string::npos && slash > min_slash) return s.substr(0, slash);
        return s;
    }
    return kGraphAppId;
}

Identity configured_identity(const Fake& fake) {
    const Config& c = fake.state.config;
    return Identity{c.upn, c.name, c.oid, c.groups};
}

std::string issue_token_response(Fake& fake, const Grant& g, bool with_refresh) {
    State& st = fake.state;
    const std::int64_t iat = now_epoch();
    const std::int64_t lifetime = st.config.lifetime;
    const std::int64_t exp = iat + lifetime;
    const bool strings = st.config.string_numbers;

    OrderedJson r;
    r.add("token_type", "Bearer");
    if (g.user) r.add("scope", g.scope);
    r.add_number("expires_in", lifetime, strings)
        .add_number("ext_expires_in", lifetime, strings)
        .add("access_token", access_token(fake, g, iat, exp));
    if (with_refresh) {
        const std::string rt = "1.AX" + random_token(96);
        st.refresh_tokens[rt] = g;
        r.add("refresh_token", rt);
    }
    if (g.user && scope_has(g.scope, "openid")) r.add("id_token", id_token(fake, g, iat, exp));
    ++st.counters.token_issued;
    return r.str();
}

}  // namespace aks::fake_entra
