// Checks a client_assertion the way Entra does: a certificate assertion
// (header x5t#S256) must be PS256-signed by the certificate registered for
// the client, name the token endpoint as aud and the client as iss/sub, be
// fresh and live at most 10 minutes; a federated assertion (workload
// identity, GitHub Actions) must be for api://AzureADTokenExchange, unexpired,
// and match the configured federated subject when one is set.
#pragma once

#include "tests/fakes/fake-entra/state.h"

#include <httplib.h>

#include <string>

namespace aks::fake_entra {

// Writes Entra's error to res and returns false when the assertion is
// refused. Call
// without fake.mu held.
bool check_client_assertion(Fake& fake, const std::string& assertion, const std::string& client_id,
                            const std::string& token_endpoint, httplib::Response& res);

std::string base64url_decode(const std::string& text);  // "" on bad input

}  // namespace aks::fake_entra
