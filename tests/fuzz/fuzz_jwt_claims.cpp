// JWT claims for status and the cache summary. Two properties:
//  - any bytes as a token: decode_jwt_claims returns claims or nothing, never crashes;
//  - the input as a payload, wrapped into header.payload.signature: claims exist
//    exactly when the payload is a JSON object, and each claim read back equals
//    what the JSON says (oid, tid, iss, exp, groups count).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/base64url.h"
#include "core/json_number.h"
#include "core/jwt_claims.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);

    if (const auto any = aks::decode_jwt_claims(input); any && any->groups_count < 0) std::abort();

    const std::string token = "eyJhbGciOiJub25lIn0." + aks::base64url_encode(input) + ".c2ln";
    const auto claims = aks::decode_jwt_claims(token);
    const auto payload = aks::parse_json(input);
    const bool object = payload && payload->is<picojson::object>();
    if (claims.has_value() != object) std::abort();
    if (!claims) return 0;
    if (claims->oid != aks::json_string_field(*payload, "oid")) std::abort();
    if (claims->tid != aks::json_string_field(*payload, "tid")) std::abort();
    if (claims->iss != aks::json_string_field(*payload, "iss")) std::abort();
    if (claims->exp != aks::json_int_field(*payload, "exp").value_or(0)) std::abort();
    const auto& obj = payload->get<picojson::object>();
    const auto groups = obj.find("groups");
    const int want = groups != obj.end() && groups->second.is<picojson::array>()
                         ? static_cast<int>(groups->second.get<picojson::array>().size())
                         : 0;
    if (claims->groups_count != want) std::abort();
    return 0;
}
