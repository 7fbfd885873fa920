#include "credential-plugin/usage.h"

#include "core/login_flag_help.h"
#include "credential-plugin/command_table.h"

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

const char* const kIntro =
    "aks-token: Microsoft Entra sign-in for AKS; one cached token for kubectl, aks-proxy and scripts.\n\n"
    "Usage: aks-token COMMAND [flags]\n\n";

const char* const kExitCodes =
    "Exit codes: 0 ok, 1 failure, 2 usage error, 3 sign-in required but the session is not interactive.\n";

}  // namespace

std::string main_usage() {
    std::string out = std::string(kIntro) + "Commands:\n";
    for (const CommandEntry& e : command_table()) {
        if (e.doc.hidden) continue;
        std::string head = "  " + e.doc.name;
        // Long names get their summary on the next line, as before.
        head += head.size() < 15 ? std::string(16 - head.size(), ' ') : "\n" + std::string(16, ' ');
        out += head + e.doc.summary + "\n";
    }
    return out + "\n" + kExitCodes + "\n" + format_option_group(global_flag_group());
}

std::string command_usage(const std::string& command) {
    if (command == "login-modes")
        return "Per login mode: the flags get-token reads, what convert-kubeconfig keeps from an old entry,\n"
               "the environment variables read and what is required.\n\n" +
               login_modes_table_text();
    const CommandEntry* e = find_command(command);
    if (!e || e->doc.hidden) return {};
    std::string out = e->doc.usage + "\n\n" + e->doc.description + "\n";
    for (const OptionGroup& g : e->doc.groups) out += format_option_group(g) + "\n";
    if (e->login == LoginFlags::Login) {
        out += login_flags_help(false) + "\n" + login_modes_help() + "\n" + kFlowEnvironment + "\n" +
               format_option_group(context_flag_group()) + "\n";
    } else if (e->login == LoginFlags::Convert) {
        out += login_flags_help(true) + "\n" + login_modes_help() + "\n";
    }
    return out + format_option_group(global_flag_group());
}

}  // namespace aks
