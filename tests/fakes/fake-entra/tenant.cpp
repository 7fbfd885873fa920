#include "tests/fakes/fake-entra/routes.h"
#include "tests/fakes/fake-entra/wire.h"

#include <cctype>
#include <chrono>

namespace aks::fake_entra {

std::int64_t now_epoch() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool is_tenant_alias(const std::string& tenant) {
    return tenant == "common" || tenant == "organizations" || tenant == "consumers";
}

bool resolve_tenant(const Fake& fake, const std::string& path_tenant, std::string& tid,
                    httplib::Response& res) {
    if (fake.tenant_restriction.empty()) {
        tid = is_tenant_alias(path_tenant) ? kDefaultTenantId : path_tenant;
        return true;
    }
    if (path_tenant == fake.tenant_restriction || is_tenant_alias(path_tenant)) {
        tid = fake.tenant_restriction;
        return true;
    }
    send_entra_error(res, 400, "invalid_request", 90002,
                     "Tenant '" + path_tenant +
                         "' not found. Check to make sure you have the correct tenant ID and are "
                         "signing into the correct cloud.");
    return false;
}

std::string url_encode(const std::string& s) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace aks::fake_entra
