#include "credential-plugin/usage.h"

#include "core/login_flag_help.h"

namespace aks {

namespace {

// Environment variables of the flows themselves (the login flags' own
// variables come from the flag table, see login_flags_help()).
const char* const kFlowEnvironment = R"TXT(Other environment variables:
  ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN
                                   workloadidentity in GitHub Actions (no token file)
  AZURE_POD_IDENTITY_AUTHORITY_HOST, IDENTITY_ENDPOINT, IDENTITY_HEADER, MSI_ENDPOINT
                                   msi endpoints (IMDS override, App Service, Cloud Shell)
  AZURE_CONFIG_DIR                 azurecli: az's configuration directory (part of the cache key)
  KUBECACHEDIR                     cache parent directory (aks-auth/ below it)
  BROWSER                          interactive: program that opens the sign-in URL
  SSL_CERT_FILE                    CA bundle for the identity provider
  HTTPS_PROXY, NO_PROXY            proxy for the identity provider
)TXT";

const char* const kGlobal = R"TXT(Global flags:
  -v, --v N        diagnostics on stderr when N > 0 (token fingerprints only, never tokens)
  -h, --help       this help
)TXT";

const char* const kMain = R"TXT(aks-token: Microsoft Entra sign-in for AKS; one cached token for kubectl, aks-proxy and scripts.

Usage: aks-token COMMAND [flags]

Commands:
  get-token     print an ExecCredential for kubectl (the kubeconfig exec plugin)
  login         sign in now and fill the cache (device code prompt on stderr)
  logout        remove cached tokens (one identity, or --all)
  token         print the bare access token, e.g. curl -H "Authorization: Bearer $(aks-token token ...)"
  status        show cached identities: user, tenant, audience, expiry (alias: whoami)
  convert-kubeconfig
                rewrite the AKS users of a kubeconfig (az aks get-credentials, kubelogin) to use aks-token
  kubeconfig    write a credential-free kubeconfig for a running aks-proxy (--proxy URL)
  version       print the version (also --version)
  help          this help; "aks-token help COMMAND" or "aks-token COMMAND --help" for a command,
                "aks-token help login-modes" for what each login mode reads and writes

Exit codes: 0 ok, 1 failure, 2 usage error, 3 sign-in required but the session is not interactive.
)TXT";

const char* const kGetToken = R"TXT(Usage: aks-token get-token [login flags | --context NAME]

Prints an ExecCredential (client.authentication.k8s.io/v1 or v1beta1, as asked
by KUBERNETES_EXEC_INFO; v1beta1 when unset) with the cached token for these
login flags. A token with less than 5 minutes left is refreshed silently; with
no usable token, a device code sign-in prompts on stderr when a person can see
it (kubectl's interactive session or a terminal on stderr); otherwise it exits
with code 3 and names the `aks-token login` command to run.
stdout carries only the ExecCredential. expirationTimestamp is the token's
expiry minus the refresh margin, so kubectl asks again in time.

kubeconfig:
  users:
  - name: my-aks
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1
        command: aks-token
        args: [get-token, --login, devicecode, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630,
               --tenant-id, <tenant>]
        interactiveMode: IfAvailable

)TXT";

const char* const kContextFlags = R"TXT(Context flags (instead of login flags):
  --context NAME       use the login settings of this kubeconfig context's exec entry
                       (aks-token or kubelogin, or a legacy azure auth-provider): the same
                       cache entry kubectl and aks-proxy use for that context
  --kubeconfig FILE    the kubeconfig to read (default: $KUBECONFIG, else ~/.kube/config);
                       alone, it means the file's current-context

)TXT";

const char* const kConvert = R"TXT(Usage: aks-token convert-kubeconfig [--kubeconfig FILE] [--context NAME] [-l MODE]
                                   [login flags] [--command PATH] [--dry-run]

Rewrites AKS users of the kubeconfig to run aks-token: the legacy
`auth-provider: azure` (its client-id, apiserver-id, tenant-id, environment and
config-mode), kubelogin exec entries and existing aks-token entries
(converting twice changes nothing). Login flags given here win over the
entry's. The entry gets apiVersion client.authentication.k8s.io/v1,
interactiveMode IfAvailable and an installHint; its env list and every other
field stay. With --context, only that context's user; else every AKS user.
Each user is rewritten in the file (of $KUBECONFIG's list) that defined it,
atomically, after copying the file to FILE.bak; files without changes are not
written. A problem in any file writes nothing.

Per login mode, as Azure/kubelogin's converter does: the entry gets only the
flags its mode reads; switching mode (-l, or AAD_LOGIN_METHOD, which beats -l)
keeps from the old entry only what kubelogin keeps (msi, workloadidentity,
azurecli and azd get no client id or tenant unless given); without either the
entry keeps its mode and flags, so only the command changes. A secret given
here is written only for the mode that uses it, with a warning naming the
environment variable to use instead. The result is checked as get-token would
check it. "aks-token help login-modes" prints the per-mode table.

  --kubeconfig FILE    the kubeconfig (default: $KUBECONFIG, else ~/.kube/config)
  --context NAME       convert only this context's user
  --command PATH       the program kubectl runs (default aks-token, found on PATH)
  --dry-run            print the converted file(s) on stdout; write nothing

)TXT";

const char* const kKubeconfig = R"TXT(Usage: aks-token kubeconfig --proxy URL [--context NAME] [--kubeconfig FILE] [-o FILE]

Prints a kubeconfig for tools that cannot run exec plugins: one context (the
given one, else the current one) whose cluster is a running aks-proxy at URL,
e.g. http://127.0.0.1:8001. It carries no credentials: the proxy adds the token.

  --proxy URL          the aks-proxy address (http or https)
  -o, --output FILE    write to FILE (mode 0600) instead of stdout

)TXT";

const char* const kLogin = R"TXT(Usage: aks-token login [login flags | --context NAME] [--force]

Signs in (device code: the code and URL are printed on stderr) and stores the
token in the cache kubectl and aks-proxy read. A fresh cached token is reused
unless --force is given. Prints "Signed in as ..." on stderr; nothing on stdout.

  --force          sign in again even when a usable token is cached

)TXT";

const char* const kLogout = R"TXT(Usage: aks-token logout [login flags | --context NAME]
       aks-token logout --all [--cache-dir DIR]

Removes the cached token (and refresh token) of one identity, named by the same
login flags get-token uses, or every cached token with --all.

  --all            remove every entry of the cache directory

)TXT";

const char* const kToken = R"TXT(Usage: aks-token token [login flags | --context NAME]

Prints the bare access token and a newline, for scripts:
  curl -H "Authorization: Bearer $(aks-token token -t <tenant>)" https://...
Same cache, refresh and sign-in rules as get-token (prompts on stderr).

)TXT";

const char* const kStatus = R"TXT(Usage: aks-token status [login flags | --context NAME] [-o text|json]
       (alias: aks-token whoami)

Shows the cached identities: user, tenant, audience, login mode, authority,
expiry, whether the token is fresh, whether a refresh token is stored and the
number of groups. Never prints a token. With login flags, only that identity;
with none (or only --cache-dir), every entry of the cache directory.

  -o, --output text|json   output format (default text)

)TXT";

}  // namespace

std::string main_usage() { return std::string(kMain) + "\n" + kGlobal; }

std::string command_usage(const std::string& command) {
    const std::string login_flags = login_flags_help(false) + "\n" + login_modes_help() + "\n" + kFlowEnvironment;
    if (command == "get-token") return kGetToken + login_flags + "\n" + kContextFlags + kGlobal;
    if (command == "login") return kLogin + login_flags + "\n" + kContextFlags + kGlobal;
    if (command == "logout") return kLogout + login_flags + "\n" + kContextFlags + kGlobal;
    if (command == "token") return kToken + login_flags + "\n" + kContextFlags + kGlobal;
    if (command == "status" || command == "whoami") return kStatus + login_flags + "\n" + kContextFlags + kGlobal;
    if (command == "convert-kubeconfig")
        return kConvert + login_flags_help(true) + "\n" + login_modes_help() + "\n" + kGlobal;
    if (command == "login-modes")
        return "Per login mode: the flags get-token reads, what convert-kubeconfig keeps from an old entry,\n"
               "the environment variables read and what is required.\n\n" +
               login_modes_table_text();
    if (command == "kubeconfig") return std::string(kKubeconfig) + kGlobal;
    if (command == "version") return "Usage: aks-token version\n\nPrints the version of aks-token.\n";
    if (command == "help") return main_usage();
    return {};
}

}  // namespace aks
