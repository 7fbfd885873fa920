#include "credential-plugin/usage.h"

namespace aks {

namespace {

const char* const kLoginFlags = R"TXT(Login flags (kubelogin-compatible; flags win over environment variables):
  -l, --login MODE                 devicecode (default): code and URL on stderr
                                   interactive: browser sign-in (auth code + PKCE), no terminal needed
                                   spn: service principal, --client-secret or --client-certificate
                                   workloadidentity: federated token (AKS webhook, GitHub Actions)
                                   msi: managed identity (IMDS, App Service, Cloud Shell)
                                   azurecli / azd: the token of `az` / `azd` (their own sign-in)
                                   ropc: username and password (DEPRECATED by Microsoft; no MFA)
      --server-id ID               AKS server application id (default 6dae42f8-4368-4678-94ff-3960e28e3630)
      --client-id ID               public client id (default 80faf920-1908-4b52-b5ef-a8e7bedfc67a);
                                   spn/workloadidentity: the application; msi: a user-assigned identity
  -t, --tenant-id TENANT           tenant id or domain (required for user and spn logins)
  -e, --environment NAME           AzurePublicCloud (default) | AzureChinaCloud | AzureUSGovernmentCloud
      --authority-host URL         identity provider base URL (https), overrides -e
      --login-hint UPN             account to sign in as
      --username UPN               ropc user
      --password PASSWORD          ropc password (never stored or printed)
      --client-secret SECRET       spn secret (never stored or printed)
      --client-certificate FILE    spn certificate (PEM or PKCS#12)
      --client-certificate-password PASSWORD
      --identity-resource-id ID    msi: resource id of a user-assigned identity
      --identity-object-id ID      msi: object (principal) id of a user-assigned identity
      --federated-token-file FILE  workloadidentity: projected service account token
      --subscription ID            azurecli: ask az for this subscription (instead of --tenant)
      --redirect-url URL           interactive: loopback redirect URL (default http://localhost:<ephemeral port>)
      --cache-dir DIR              token cache (default $KUBECACHEDIR/aks-auth, else ~/.kube/cache/aks-auth;
                                   --token-cache-dir is kubelogin's older name)
      --certificate-authority FILE CA bundle to trust for the identity provider
      --oidc-issuer-url URL        any OpenID Connect provider (https) instead of Entra (devicecode or
                                   interactive; needs --client-id; discovery cached a day)
      --oidc-extra-scope SCOPE     extra scope for --oidc-issuer-url (repeatable, or comma list)
      --timeout DURATION           give up a sign-in (browser, device code, az/azd) after e.g. 5m
      --legacy, --disable-environment-override, --use-azurerm-env-vars,
      --disable-instance-discovery, --logtostderr
                                   accepted for kubelogin compatibility
  Not supported: --pop-enabled, --pop-claims (proof-of-possession tokens).

Environment:
  AAD_LOGIN_METHOD                 like --login
  AZURE_TENANT_ID                  like --tenant-id (ARM_TENANT_ID with --use-azurerm-env-vars)
  AZURE_AUTHORITY_HOST             like --authority-host
  AAD_SERVICE_PRINCIPAL_CLIENT_ID, AAD_SERVICE_PRINCIPAL_CLIENT_SECRET,
  AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET,
  AZURE_CLIENT_CERTIFICATE_PATH    spn (AZURE_CLIENT_ID also for workloadidentity)
  AAD_USER_PRINCIPAL_NAME, AAD_USER_PRINCIPAL_PASSWORD, AZURE_USERNAME, AZURE_PASSWORD
                                   ropc
  AZURE_FEDERATED_TOKEN_FILE       workloadidentity (re-read on every token request)
  ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN
                                   workloadidentity in GitHub Actions (no token file)
  AZURE_POD_IDENTITY_AUTHORITY_HOST, IDENTITY_ENDPOINT, IDENTITY_HEADER, MSI_ENDPOINT
                                   msi endpoints (IMDS override, App Service, Cloud Shell)
  BROWSER                          interactive: program that opens the sign-in URL
  KUBECACHEDIR                     cache parent directory (aks-auth/ below it)
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
  help          this help; "aks-token help COMMAND" or "aks-token COMMAND --help" for a command

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
config-mode), kubelogin exec entries (their args carried over) and existing
aks-token entries (converting twice changes nothing). Login flags given here
win over the entry's; -l switches the login mode (flags the new mode does not
read are dropped). The entry gets apiVersion client.authentication.k8s.io/v1,
interactiveMode IfAvailable and an installHint; its env list and every other
field stay. With --context, only that context's user; else every AKS user.
Each user is rewritten in the file (of $KUBECONFIG's list) that defined it,
atomically, after copying the file to FILE.bak; files without changes are not
written. A problem in any file writes nothing.

  --kubeconfig FILE    the kubeconfig (default: $KUBECONFIG, else ~/.kube/config)
  --context NAME       convert only this context's user
  -l, --login MODE     the login mode of the converted users
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
    const std::string login_flags = kLoginFlags;
    if (command == "get-token") return kGetToken + login_flags + "\n" + kContextFlags + kGlobal;
    if (command == "login") return kLogin + login_flags + "\n" + kContextFlags + kGlobal;
    if (command == "logout") return kLogout + login_flags + "\n" + kContextFlags + kGlobal;
    if (command == "token") return kToken + login_flags + "\n" + kContextFlags + kGlobal;
    if (command == "status" || command == "whoami") return kStatus + login_flags + "\n" + kContextFlags + kGlobal;
    if (command == "convert-kubeconfig") return kConvert + login_flags + "\n" + kGlobal;
    if (command == "kubeconfig") return std::string(kKubeconfig) + kGlobal;
    if (command == "version") return "Usage: aks-token version\n\nPrints the version of aks-token.\n";
    if (command == "help") return main_usage();
    return {};
}

}  // namespace aks
