#include "credential-plugin/command_table.h"

#include "core/login_flag_help.h"
#include "core/login_flags.h"
#include "credential-plugin/command_flags.h"

namespace aks {
namespace {

const char* const kGetTokenText = R"TXT(Prints an ExecCredential (client.authentication.k8s.io/v1 or v1beta1, as asked
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

const char* const kLoginText = R"TXT(Signs in (device code: the code and URL are printed on stderr) and stores the
token in the cache kubectl and aks-proxy read. A fresh cached token is reused
unless --force is given. Prints "Signed in as ..." on stderr; nothing on stdout.
)TXT";

const char* const kLogoutText = R"TXT(Removes the cached token (and refresh token) of one identity, named by the same
login flags get-token uses, or every cached token with --all (also what a
writer that was killed left behind).
)TXT";

const char* const kTokenText = R"TXT(Prints the bare access token and a newline, for scripts:
  curl -H "Authorization: Bearer $(aks-token token -t <tenant>)" https://...
Same cache, refresh and sign-in rules as get-token (prompts on stderr).
)TXT";

const char* const kStatusText = R"TXT(Shows the cached identities: user, tenant, audience, login mode, authority,
expiry, whether the token is fresh, whether a refresh token is stored and the
number of groups. Never prints a token. With login flags, only that identity;
with none (or only --cache-dir), every entry of the cache directory.
)TXT";

const char* const kConvertText = R"TXT(Rewrites AKS users of the kubeconfig to run aks-token: the legacy
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
)TXT";

const char* const kKubeconfigText = R"TXT(Prints a kubeconfig for tools that cannot run exec plugins: one context (the
given one, else the current one) whose cluster is a running aks-proxy at URL,
e.g. http://127.0.0.1:8001. It carries no credentials: the proxy adds the token.
)TXT";

const char* const kCompletionText = R"TXT(Prints a completion script for the shell, made from the same tables the
parser reads; --context completes the kubeconfig's context names. Packages
install them; by hand:
  bash:  source <(aks-token completion bash)
  zsh:   aks-token completion zsh > "${fpath[1]}/_aks-token"
  fish:  aks-token completion fish > ~/.config/fish/completions/aks-token.fish
)TXT";

CommandDoc doc(const char* name, std::vector<std::string> aliases, const char* summary, const char* usage,
               const char* description, std::vector<OptionGroup> groups = {}) {
    CommandDoc d;
    d.name = name;
    d.aliases = std::move(aliases);
    d.summary = summary;
    d.usage = usage;
    d.description = description;
    d.groups = std::move(groups);
    return d;
}

OptionGroup own(std::vector<OptionDoc> options) { return OptionGroup{"Flags", std::move(options)}; }

std::vector<CommandEntry> build_table() {
    std::vector<CommandEntry> t;
    t.push_back({doc("get-token", {}, "print an ExecCredential for kubectl (the kubeconfig exec plugin)",
                     "Usage: aks-token get-token [login flags | --context NAME]", kGetTokenText),
                 LoginFlags::Login, run_get_token});
    t.push_back({doc("login", {}, "sign in now and fill the cache (device code prompt on stderr)",
                     "Usage: aks-token login [login flags | --context NAME] [--force]", kLoginText,
                     {own({flags::force()})}),
                 LoginFlags::Login, run_login});
    t.push_back({doc("logout", {}, "remove cached tokens (one identity, or --all)",
                     "Usage: aks-token logout [login flags | --context NAME]\n"
                     "       aks-token logout --all [--cache-dir DIR]",
                     kLogoutText, {own({flags::all()})}),
                 LoginFlags::Login, run_logout});
    t.push_back({doc("token", {},
                     "print the bare access token, e.g. curl -H \"Authorization: Bearer $(aks-token token ...)\"",
                     "Usage: aks-token token [login flags | --context NAME]", kTokenText),
                 LoginFlags::Login, run_token});
    t.push_back({doc("status", {"whoami"}, "show cached identities: user, tenant, audience, expiry (alias: whoami)",
                     "Usage: aks-token status [login flags | --context NAME] [-o text|json]\n"
                     "       (alias: aks-token whoami)",
                     kStatusText, {own({flags::status_output()})}),
                 LoginFlags::Login, run_status});
    t.push_back({doc("convert-kubeconfig", {},
                     "rewrite the AKS users of a kubeconfig (az aks get-credentials, kubelogin) to use aks-token",
                     "Usage: aks-token convert-kubeconfig [--kubeconfig FILE] [--context NAME] [-l MODE]\n"
                     "                                   [login flags] [--command PATH] [--dry-run]",
                     kConvertText,
                     {own({flags::kubeconfig(), flags::convert_context(), flags::convert_command(),
                           flags::dry_run()})}),
                 LoginFlags::Convert, run_convert_kubeconfig});
    t.push_back({doc("kubeconfig", {}, "write a credential-free kubeconfig for a running aks-proxy (--proxy URL)",
                     "Usage: aks-token kubeconfig --proxy URL [--context NAME] [--kubeconfig FILE] [-o FILE]",
                     kKubeconfigText,
                     {own({flags::proxy(), flags::kubeconfig_context(), flags::kubeconfig(),
                           flags::kubeconfig_output()})}),
                 LoginFlags::None, run_kubeconfig});
    CommandDoc completion = doc("completion", {}, "print a shell completion script (bash, zsh or fish)",
                                "Usage: aks-token completion bash|zsh|fish", kCompletionText);
    completion.arguments = {"bash", "zsh", "fish"};
    t.push_back({completion, LoginFlags::None, run_completion});
    t.push_back({doc("version", {}, "print the version (also --version)", "Usage: aks-token version",
                     "Prints the version of aks-token.\n"),
                 LoginFlags::None, nullptr});
    CommandDoc help = doc("help", {},
                          "this help; \"aks-token help COMMAND\" for a command, \"aks-token help login-modes\" for "
                          "what each login mode reads and writes",
                          "Usage: aks-token help [COMMAND | login-modes]",
                          "Prints the help of aks-token or of one command.\n");
    t.push_back({help, LoginFlags::None, nullptr});
    // Interfaces for the completion scripts and the build (the man page).
    CommandDoc contexts = doc("__contexts", {}, "the kubeconfig's context names, one a line",
                              "Usage: aks-token __contexts [--kubeconfig FILE]", "", {own({flags::kubeconfig()})});
    contexts.hidden = true;
    t.push_back({contexts, LoginFlags::None, run_list_contexts});
    CommandDoc man = doc("__man", {}, "the man page (roff)", "Usage: aks-token __man", "");
    man.hidden = true;
    t.push_back({man, LoginFlags::None, run_man_page});
    // help's argument: any command, or the per-mode table.
    for (CommandEntry& e : t)
        if (e.doc.name == "help") {
            for (const CommandEntry& c : t)
                if (!c.doc.hidden) e.doc.arguments.push_back(c.doc.name);
            e.doc.arguments.push_back("login-modes");
        }
    return t;
}

}  // namespace

const std::vector<CommandEntry>& command_table() {
    static const std::vector<CommandEntry> table = build_table();
    return table;
}

const CommandEntry* find_command(const std::string& name) {
    for (const CommandEntry& e : command_table()) {
        if (e.doc.name == name) return &e;
        for (const std::string& a : e.doc.aliases)
            if (a == name) return &e;
    }
    return nullptr;
}

OptionGroup context_flag_group() { return OptionGroup{"Context flags (instead of login flags)", {flags::context(), flags::kubeconfig()}}; }

OptionGroup global_flag_group() { return OptionGroup{"Global flags", {flags::verbosity(), flags::help(), flags::version()}}; }

CliDoc aks_token_doc() {
    CliDoc d;
    d.program = "aks-token";
    d.version = AKS_AUTH_VERSION;
    d.summary = "Microsoft Entra sign-in for AKS: one cached token for kubectl, aks-proxy and scripts";
    d.synopsis = "COMMAND [flags]";
    d.description =
        "aks-token is a kubectl exec credential plugin and sign-in tool for AKS clusters that use Microsoft Entra ID.\n"
        "It keeps one access token for the AKS server application per identity in a private cache, which\n"
        "kubectl (through get-token), aks-proxy and scripts (through token) share. It accepts Azure/kubelogin's\n"
        "get-token flags and environment variables.\n";
    d.groups = {global_flag_group()};
    for (const CommandEntry& e : command_table()) {
        CommandDoc c = e.doc;
        if (e.login == LoginFlags::Login) {
            c.groups.push_back(login_flag_options(false));
            c.groups.push_back(context_flag_group());
        } else if (e.login == LoginFlags::Convert) {
            c.groups.push_back(login_flag_options(true));
        }
        d.commands.push_back(std::move(c));
    }
    d.man_sections = {
        {"Exit status",
         "0 success; 1 failure (identity provider, network, cache); 2 bad usage; 3 sign-in required but the\n"
         "session is not interactive (run aks-token login in a terminal once).\n"},
        {"Environment",
         "The login flags' environment variables are listed with each flag in aks-token get-token --help and\n"
         "aks-token help login-modes. Also: KUBECACHEDIR (cache parent directory), KUBECONFIG, BROWSER,\n"
         "SSL_CERT_FILE (CA bundle for the identity provider), HTTPS_PROXY and NO_PROXY, KUBERNETES_EXEC_INFO\n"
         "(set by kubectl), AZURE_POD_IDENTITY_AUTHORITY_HOST, IDENTITY_ENDPOINT, IDENTITY_HEADER and\n"
         "MSI_ENDPOINT (managed identity), ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN\n"
         "(workload identity in GitHub Actions).\n"},
        {"Files",
         "~/.kube/cache/aks-auth/ (or $KUBECACHEDIR/aks-auth/, or --cache-dir): one 0600 JSON file per identity\n"
         "and its .lock file, in a 0700 directory.\n"},
        {"See also", "aks-proxy(1), kubectl(1)\n"},
    };
    return d;
}

}  // namespace aks
