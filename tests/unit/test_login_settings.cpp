#include <catch2/catch.hpp>

#include "core/cloud.h"
#include "core/login_settings.h"

using aks::LoginSettings;

namespace {

LoginSettings base_settings() {
    LoginSettings s;
    s.login_mode = "devicecode";
    s.authority_host = "https://login.microsoftonline.com";
    s.tenant_id = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    s.client_id = aks::kAksClientId;
    s.server_id = aks::kAksServerId;
    return s;
}

}  // namespace

TEST_CASE("canonical key has the documented layout", "[login_settings]") {
    LoginSettings s = base_settings();
    s.login_hint = "Alice@Contoso.com";
    CHECK(s.canonical_key() ==
          "aks-auth-cache-v1\n"
          "https://login.microsoftonline.com\n"
          "72f988bf-86f1-41af-91ab-2d7cd011db47\n"
          "80faf920-1908-4b52-b5ef-a8e7bedfc67a\n"
          "6dae42f8-4368-4678-94ff-3960e28e3630\n"
          "devicecode\n"
          "alice@contoso.com");
    const std::string h = s.key_hash();
    CHECK(h.size() == 64);
    CHECK(h.find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("same settings give the same hash", "[login_settings]") {
    CHECK(base_settings().key_hash() == base_settings().key_hash());
}

TEST_CASE("every key field changes the hash", "[login_settings]") {
    const std::string h = base_settings().key_hash();
    auto changed = [&](void (*mutate)(LoginSettings&)) {
        LoginSettings s = base_settings();
        mutate(s);
        return s.key_hash() != h;
    };
    CHECK(changed([](LoginSettings& s) { s.authority_host = "https://login.chinacloudapi.cn"; }));
    CHECK(changed([](LoginSettings& s) { s.tenant_id = "contoso.onmicrosoft.com"; }));
    CHECK(changed([](LoginSettings& s) { s.client_id = "00000000-0000-0000-0000-000000000001"; }));
    CHECK(changed([](LoginSettings& s) { s.server_id = "00000000-0000-0000-0000-000000000002"; }));
    CHECK(changed([](LoginSettings& s) { s.login_mode = "interactive"; }));
    CHECK(changed([](LoginSettings& s) { s.login_hint = "bob@contoso.com"; }));
}

TEST_CASE("secrets and non-identity settings never change the hash", "[login_settings]") {
    const std::string h = base_settings().key_hash();
    LoginSettings s = base_settings();
    s.client_secret = "s3cret";
    s.client_certificate = "/path/cert.pfx";
    s.client_certificate_password = "pw";
    s.password = "hunter2";
    s.redirect_url = "http://localhost:8400";
    s.cache_dir = "/somewhere";
    s.certificate_authority = "/ca.pem";
    s.timeout_seconds = 99;
    s.legacy = true;
    s.environment = "AzurePublicCloud";
    s.federated_token_file = "/var/run/token";
    CHECK(s.key_hash() == h);
    CHECK(s.canonical_key().find("s3cret") == std::string::npos);
}

TEST_CASE("key fields are compared case-insensitively", "[login_settings]") {
    LoginSettings upper = base_settings();
    upper.authority_host = "HTTPS://LOGIN.MICROSOFTONLINE.COM";
    upper.tenant_id = "72F988BF-86F1-41AF-91AB-2D7CD011DB47";
    upper.client_id = "80FAF920-1908-4B52-B5EF-A8E7BEDFC67A";
    upper.server_id = "6DAE42F8-4368-4678-94FF-3960E28E3630";
    upper.login_mode = "DeviceCode";
    CHECK(upper.key_hash() == base_settings().key_hash());
    CHECK(aks::ascii_lower("AbC-\xC3\x84") == "abc-\xC3\x84");
}

TEST_CASE("principal hint per login mode", "[login_settings]") {
    LoginSettings s = base_settings();
    s.login_hint = "Alice@Contoso.com";
    s.username = "Bob@Contoso.com";
    s.identity_resource_id = "/subscriptions/X/resourceGroups/RG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ID";
    s.client_id = "ABC";

    s.login_mode = "devicecode";
    CHECK(s.principal_hint() == "alice@contoso.com");
    s.login_mode = "interactive";
    CHECK(s.principal_hint() == "alice@contoso.com");
    s.login_mode = "ropc";
    CHECK(s.principal_hint() == "bob@contoso.com");
    s.login_mode = "msi";
    CHECK(s.principal_hint() ==
          "/subscriptions/x/resourcegroups/rg/providers/microsoft.managedidentity/userassignedidentities/id");
    s.identity_resource_id.clear();
    CHECK(s.principal_hint() == "abc");
    for (const char* m : {"spn", "workloadidentity", "azurecli", "azd"}) {
        s.login_mode = m;
        CHECK(s.principal_hint().empty());
    }
}

TEST_CASE("ropc users and msi identities get separate keys", "[login_settings]") {
    LoginSettings a = base_settings();
    a.login_mode = "ropc";
    a.username = "alice@contoso.com";
    LoginSettings b = a;
    b.username = "bob@contoso.com";
    CHECK(a.key_hash() != b.key_hash());

    LoginSettings m1 = base_settings();
    m1.login_mode = "msi";
    m1.client_id = "id-1";
    LoginSettings m2 = m1;
    m2.client_id = "id-2";
    CHECK(m1.key_hash() != m2.key_hash());
}

TEST_CASE("an OIDC issuer is part of the key; Entra keys are unchanged", "[login_settings]") {
    const LoginSettings entra = base_settings();
    LoginSettings a = base_settings();
    a.oidc_issuer_url = "https://dex.example.com";
    LoginSettings b = a;
    b.oidc_issuer_url = "https://keycloak.example.com/realms/k8s";
    CHECK(entra.canonical_key().find("oidc") == std::string::npos);
    CHECK(a.canonical_key() == entra.canonical_key() + "\noidc-issuer:https://dex.example.com");
    CHECK(a.key_hash() != entra.key_hash());
    CHECK(a.key_hash() != b.key_hash());
    // Other extra scopes, another token (it may carry other claims).
    LoginSettings c = a;
    c.oidc_extra_scopes = "groups";
    CHECK(c.canonical_key() == a.canonical_key() + "\noidc-scope:groups");
}

TEST_CASE("azurecli: a subscription names another identity; none keeps the old key", "[login_settings]") {
    aks::LoginSettings s;
    s.login_mode = "azurecli";
    s.tenant_id = "t";
    const std::string plain = s.key_hash();
    CHECK(s.principal_hint().empty());
    s.subscription = "Sub-1";
    CHECK(s.principal_hint() == "sub-1");
    CHECK(s.key_hash() != plain);
}

TEST_CASE("msi: an object id names another identity; none keeps the old key", "[login_settings]") {
    aks::LoginSettings s;
    s.login_mode = "msi";
    s.client_id = "C";
    CHECK(s.principal_hint() == "c");
    s.identity_object_id = "OID";
    CHECK(s.principal_hint() == "oid");
    s.identity_resource_id = "/RES";
    CHECK(s.principal_hint() == "/res");
}
