#include "core/login_settings.h"

#include "core/sha256.h"

namespace aks {

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string LoginSettings::principal_hint() const {
    if (login_mode == "devicecode" || login_mode == "interactive") return ascii_lower(login_hint);
    if (login_mode == "ropc") return ascii_lower(username);
    if (login_mode == "msi") {
        if (!identity_resource_id.empty()) return ascii_lower(identity_resource_id);
        return ascii_lower(identity_object_id.empty() ? client_id : identity_object_id);
    }
    // az answers for the subscription's tenant: another subscription may be
    // another identity. Empty (the usual case) keeps the key of older entries.
    if (login_mode == "azurecli") return ascii_lower(subscription);
    // spn / workloadidentity: the client id already names the identity;
    // azd: whoever it is signed in as.
    return {};
}

std::string LoginSettings::canonical_key() const {
    // Secrets (client secret, certificate, password) never enter the key: a
    // rotated secret must keep the cached token of the same identity.
    std::string key = "aks-auth-cache-v1\n";
    for (const std::string* field : {&authority_host, &tenant_id, &client_id, &server_id, &login_mode}) {
        key += ascii_lower(*field);
        key += '\n';
    }
    key += principal_hint();
    if (!oidc_issuer_url.empty()) key += "\noidc-issuer:" + oidc_issuer_url;
    // A token asked with other scopes may lack claims (groups) the user wants.
    if (!oidc_issuer_url.empty() && !oidc_extra_scopes.empty()) key += "\noidc-scope:" + oidc_extra_scopes;
    // Another az configuration directory is another az sign-in (kubelogin's
    // --azure-config-dir); the path is kept as given.
    if (login_mode == "azurecli" && !azure_config_dir.empty()) key += "\naz-config-dir:" + azure_config_dir;
    return key;
}

std::string LoginSettings::key_hash() const { return sha256_hex(canonical_key()); }

}  // namespace aks
