// Route registration, one function per endpoint family, plus what the
// families share (tenant resolution, the device code grant).
#pragma once

#include "tests/fakes/fake-entra/state.h"

#include <httplib.h>

#include <string>

namespace aks::fake_entra {

inline constexpr char kDeviceCodeGrant[] = "urn:ietf:params:oauth:grant-type:device_code";
// tid used for /common, /organizations and /consumers when --tenant is not set.
inline constexpr char kDefaultTenantId[] = "11111111-2222-4333-8444-555555555555";

void register_discovery(httplib::Server& server, Fake& fake);
void register_device_flow(httplib::Server& server, Fake& fake);
void register_token_endpoint(httplib::Server& server, Fake& fake);
void register_authorize(httplib::Server& server, Fake& fake);
void register_control_api(httplib::Server& server, Fake& fake);

// Maps the tenant in the path to the tid claim. With --tenant, other tenants
// get Entra's AADSTS90002 answer (written to res) and false.
bool resolve_tenant(const Fake& fake, const std::string& path_tenant, std::string& tid,
                    httplib::Response& res);
bool is_tenant_alias(const std::string& tenant);

// grant_type=urn:ietf:params:oauth:grant-type:device_code
void redeem_device_code(Fake& fake, const httplib::Request& req, httplib::Response& res);
// grant_type=authorization_code
void redeem_authorization_code(Fake& fake, const httplib::Request& req, httplib::Response& res);

std::string url_encode(const std::string& s);

}  // namespace aks::fake_entra
