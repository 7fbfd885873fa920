#include "core/jwt_claims.h"

#include <initializer_list>

#include "core/base64url.h"
#include "core/json_number.h"

namespace aks {
namespace {

std::string first_string(const picojson::value& payload, std::initializer_list<const char*> keys) {
    for (const char* key : keys) {
        std::string s = json_string_field(payload, key);
        if (!s.empty()) return s;
    }
    return {};
}

// aud is a string in Entra tokens but may be an array in other OIDC tokens.
std::string audience(const picojson::object& obj) {
    const auto it = obj.find("aud");
    if (it == obj.end()) return {};
    if (it->second.is<std::string>()) return it->second.get<std::string>();
    if (it->second.is<picojson::array>()) {
        const auto& arr = it->second.get<picojson::array>();
        if (!arr.empty() && arr.front().is<std::string>()) return arr.front().get<std::string>();
    }
    return {};
}

bool has_groups_overage(const picojson::object& obj) {
    const auto names = obj.find("_claim_names");
    if (names != obj.end() && names->second.is<picojson::object>() &&
        names->second.get<picojson::object>().count("groups") > 0) {
        return true;
    }
    // Implicit-flow tokens signal overage with hasgroups instead.
    const auto has = obj.find("hasgroups");
    return has != obj.end() && has->second.is<bool>() && has->second.get<bool>();
}

}  // namespace

std::optional<TokenClaims> decode_jwt_claims(std::string_view token) {
    const auto dot1 = token.find('.');
    if (dot1 == std::string_view::npos) return std::nullopt;
    const auto dot2 = token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
        return std::nullopt;
    }
    if (dot1 == 0) return std::nullopt;  // a JWT always has a header
    const auto json = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
    if (!json) return std::nullopt;
    const auto payload = parse_json(*json);
    if (!payload || !payload->is<picojson::object>()) return std::nullopt;
    const auto& obj = payload->get<picojson::object>();

    TokenClaims c;
    c.upn = first_string(*payload, {"upn", "unique_name", "preferred_username", "email", "appid", "azp"});
    c.oid = json_string_field(*payload, "oid");
    c.tid = json_string_field(*payload, "tid");
    c.aud = audience(obj);
    c.iss = json_string_field(*payload, "iss");
    c.exp = json_int_field(*payload, "exp").value_or(0);
    const auto groups = obj.find("groups");
    if (groups != obj.end() && groups->second.is<picojson::array>()) {
        c.groups_count = static_cast<int>(groups->second.get<picojson::array>().size());
    }
    c.groups_overage = has_groups_overage(obj);
    return c;
}

}  // namespace aks
