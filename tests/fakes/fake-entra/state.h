// Everything the fake remembers, behind one mutex: the server is threaded.
#pragma once

#include "tests/fakes/fake-entra/crypto.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace aks::fake_entra {

// Tunables a test changes through POST /_control/config.
struct Config {
    std::int64_t lifetime = 3600;          // access token lifetime, seconds
    std::int64_t interval = 5;             // device code polling interval
    std::int64_t expires_in = 900;         // device code lifetime
    std::int64_t auto_approve_after = -1;  // approve at poll N+1; -1 never
    bool string_numbers = false;           // expires_in/interval as JSON strings
    std::string upn = "alice@contoso.example";
    std::string name = "Alice Example";
    std::string oid = "4b1c2d3e-5f60-4a7b-8c9d-0e1f2a3b4c5d";
    std::vector<std::string> groups = {"7d9a3c1e-2b4f-4e6a-9c8d-1f0e2d3c4b5a",
                                       "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b"};
    bool refresh_token_valid = true;
    // A redeemed refresh token stops working (stricter than Entra, which lets
    // an old one be used until it expires); false: it keeps working.
    bool refresh_token_single_use = true;
    std::string client_secret;    // empty: any non-empty secret is accepted
    std::string authorize_error;  // non-empty: /authorize redirects with this error
    std::string client_certificate;  // PEM registered for certificate assertions; empty: none
    std::string federated_subject;   // non-empty: federated assertions must have this sub
    std::string password;            // ROPC: empty accepts any non-empty password
    bool signin_page = false;        // /authorize shows a page with a Sign in button first
};

struct Counters {
    std::int64_t devicecode = 0;
    std::int64_t authorize = 0;
    std::int64_t token_device_code = 0;
    std::int64_t token_refresh_token = 0;
    std::int64_t token_client_credentials = 0;
    std::int64_t token_authorization_code = 0;
    std::int64_t token_password = 0;
    std::int64_t token_other = 0;
    std::int64_t token_issued = 0;
    std::int64_t discovery = 0;  // openid-configuration and keys
    std::int64_t faults_served = 0;
};

// Who a token is for; fixed when the grant is redeemed.
struct Identity {
    std::string upn, name, oid;
    std::vector<std::string> groups;
};

// What a refresh token (or an authorization code) stands for.
struct Grant {
    std::string client_id;
    std::string scope;
    std::string tid;
    bool user = true;  // false: client credentials (app-only)
    std::string appidacr = "0";  // 0 public client, 1 secret, 2 certificate/assertion
    Identity who;
    std::string nonce;  // authorization code flow, echoed in the id_token
};

enum class DeviceState { pending, approved, declined, expired };

struct DeviceCode {
    std::string device_code, user_code, client_id, scope, tid;
    std::int64_t expires_at = 0;  // epoch seconds
    DeviceState state = DeviceState::pending;
    std::int64_t polls = 0;
};

struct AuthCode {
    Grant grant;
    std::string redirect_uri, challenge, challenge_method;
    std::int64_t expires_at = 0;
};

// A canned answer injected by POST /_control/fault, consumed by the first
// request it matches (so the queue is per endpoint when `endpoint` is set).
struct Fault {
    std::string endpoint;       // token | devicecode | authorize | discovery | keys | devicelogin; empty: any
    std::string path_contains;  // empty: any non-control path
    std::string grant_type;     // empty: any (or none)
    // How the answer goes wrong; empty: the status/body/error below.
    //   reset      the connection is reset (RST) once the request is read, no answer
    //   close      the connection is closed (FIN) without an answer
    //   truncated  a token answer whose body stops halfway, then the connection closes
    //   html       an HTML page (a proxy's or captive portal's), status 200 unless given
    //   garbage    bytes that are not JSON, status 200 unless given
    std::string kind;
    int status = 0;             // 0 with no body/error/kind/slow_down: delay only
    std::string retry_after;
    bool has_body = false;
    std::string body;
    std::string content_type;
    std::int64_t aadsts = 0;          // Entra's error for this code (aadsts_catalog.cpp)
    std::string error;                // Entra-format error body with this "error"
    std::int64_t error_code = 0;      // ... and this AADSTS number
    std::string error_description;    // ... and this text
    std::int64_t delay_ms = 0;        // before answering (a slow or hanging provider)
    std::int64_t count = 1;
    bool slow_down = false;
};

struct State {
    Config config;
    Counters counters;
    std::map<std::string, DeviceCode> device_codes;  // by device_code
    std::map<std::string, Grant> refresh_tokens;
    std::map<std::string, AuthCode> auth_codes;
    std::deque<Fault> faults;
    std::string last_user_code;
    std::set<std::string> used_jti;  // certificate assertions are single use
};

// The whole fake: mutable state under `mu`, plus what is fixed at start-up.
struct Fake {
    Fake(RsaSigner s, Config defaults_, std::string tenant)
        : signer(std::move(s)), defaults(std::move(defaults_)), tenant_restriction(std::move(tenant)) {
        state.config = defaults;
    }

    std::mutex mu;
    State state;  // guarded by mu
    // Wakes faults sleeping out a delay: /_control/reset (a new generation)
    // and shutdown end them at once, so a hanging answer never holds up a test.
    std::condition_variable wake;  // with mu
    std::uint64_t generation = 0;  // guarded by mu
    bool stopping = false;         // guarded by mu

    const RsaSigner signer;
    const Config defaults;                 // what /_control/reset restores
    const std::string tenant_restriction;  // --tenant; empty: any
    std::string base_url;                  // https://127.0.0.1:PORT, set before serving
};

std::int64_t now_epoch();

}  // namespace aks::fake_entra
