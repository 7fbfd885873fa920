#pragma once
// The login settings of one identity: what kubelogin's flags/env describe.
// One object serves aks-token and aks-proxy so that both derive the same key.
#include <cstdint>
#include <string>
#include <string_view>

namespace aks {

struct LoginSettings {
    std::string login_mode = "devicecode";  // -l/--login, AAD_LOGIN_METHOD
    std::string environment;                // -e/--environment
    std::string authority_host;             // normalised https URL, no trailing slash
    std::string tenant_id;                  // -t/--tenant-id, AZURE_TENANT_ID
    std::string client_id;                  // --client-id (default AKS client for user flows)
    std::string server_id;                  // --server-id (default AKS server app)
    std::string client_secret;              // never part of the key, never printed
    std::string client_certificate;
    std::string client_certificate_password;
    std::string username;
    std::string password;
    std::string login_hint;
    std::string subscription;               // -s/--subscription (azurecli)
    std::string azure_config_dir;           // AZURE_CONFIG_DIR (azurecli): which az profile answers
    std::string identity_resource_id;
    std::string identity_object_id;         // --identity-object-id (msi)
    std::string federated_token_file;
    std::string redirect_url;
    std::string cache_dir;                  // --cache-dir (empty: default)
    std::string certificate_authority;      // --certificate-authority for the IdP
    std::int64_t timeout_seconds = 0;       // --timeout (0: flow default)
    bool legacy = false;                    // --legacy (accepted, no effect)
    std::string oidc_issuer_url;            // --oidc-issuer-url: a generic OIDC provider, no trailing '/'
    std::string oidc_extra_scopes;          // --oidc-extra-scope values, space separated

    // Field that tells identities of one mode apart (username, login hint,
    // identity resource id...). Lowercased.
    std::string principal_hint() const;
    // Canonical text: version prefix + lowercased (authority host, tenant,
    // client id, server id, login mode, principal hint) joined by '\n', then
    // "\noidc-issuer:" + the issuer (case kept) and "\noidc-scope:" + the
    // extra scopes only when set, and "\naz-config-dir:" + AZURE_CONFIG_DIR
    // for azurecli when set, so the keys of other identities stay what they
    // were.
    std::string canonical_key() const;
    // sha256_hex(canonical_key()): the cache file stem.
    std::string key_hash() const;
};

// ASCII lowercase (identifiers, hosts, GUIDs); other bytes unchanged.
std::string ascii_lower(std::string_view s);

}  // namespace aks
