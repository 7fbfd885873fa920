// Mints RS256 tokens in Entra's shapes: v1 access tokens (what AKS accepts),
// v2 id tokens, opaque rotating refresh tokens, and the token response.
#pragma once

#include "tests/fakes/fake-entra/json.h"
#include "tests/fakes/fake-entra/state.h"

#include <string>

namespace aks::fake_entra {

std::string make_jwt(const RsaSigner& signer, const OrderedJson& claims);

// "6dae.../.default openid" -> "6dae..."; "https://x.example//.default" ->
// "https://x.example/"; no resource scope -> Microsoft Graph's app id.
std::string resource_from_scope(const std::string& scope);

bool scope_has(const std::string& scope, const std::string& item);

// The 200 token response body for `g`. Stores a new refresh token when
// `with_refresh`. Call with fake.mu held.
std::string issue_token_response(Fake& fake, const Grant& g, bool with_refresh);

// The identity currently configured (upn, oid, groups...). Call with fake.mu held.
Identity configured_identity(const Fake& fake);

}  // namespace aks::fake_entra
