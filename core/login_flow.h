#pragma once
// One place that knows every login mode: whether it needs a person, what it
// must check before anything is written, and which flow runs it (the
// `provider per --login` of Azure/kubelogin).
#include <optional>
#include <ostream>
#include <string>

#include "core/browser_launcher.h"
#include "core/certificate_loader.h"
#include "core/clock.h"
#include "core/http_client.h"
#include "core/login_args.h"
#include "core/login_settings.h"
#include "core/process_runner.h"
#include "core/sign_in_status.h"
#include "core/token.h"

namespace aks {

enum class Presence {
    none,      // spn, msi, workloadidentity, azurecli, azd, ropc: never asks anyone
    terminal,  // devicecode: someone must read the prompt
    browser,   // interactive: a browser, but no terminal
};

bool supported_login_mode(const std::string& mode);
Presence presence_needed(const LoginSettings& s);
// Flows whose tokens come with a refresh token worth trying first.
bool uses_refresh_token(const LoginSettings& s);

// What a flow needs that is read from files or the environment up front, so
// bad input fails before the cache directory or a lock file is touched.
struct PreparedLogin {
    std::optional<ClientCertificate> certificate;  // spn with --client-certificate
    std::string federated_token;                   // workloadidentity from a file (never printed)
};

// Throws UsageError naming the missing or unreadable input.
PreparedLogin prepare_login(const LoginSettings& s, const EnvLookup& env);

struct LoginFlowDeps {
    HttpClientOptions http;  // with ca file, clock, sleeper and env filled in
    Clock clock;
    Sleeper sleep;
    EnvLookup env;
    std::ostream* prompt = nullptr;  // stderr
    SignInStatus* status = nullptr;  // device code / browser progress; null: plain lines on prompt
    ProcessRunner run_process;       // az / azd; empty: the real one
    BrowserOpener open_browser;      // interactive; empty: system_browser(env)
    std::string cache_dir;           // where the OIDC discovery document is cached
};

// Runs the flow of s.login_mode once. Throws AuthError, TransportError, UsageError.
Token run_login_flow(const LoginSettings& s, const PreparedLogin& p, const LoginFlowDeps& d);

// Silent renewal with a stored refresh token, at the mode's token endpoint.
Token run_refresh(const LoginSettings& s, const std::string& refresh_token, const LoginFlowDeps& d);

}  // namespace aks
