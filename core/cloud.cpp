#include "core/cloud.h"

#include <cctype>

#include "core/errors.h"
#include "core/url.h"

namespace aks {
namespace {

bool iequals(const std::string& a, const char* b) {
    std::size_t i = 0;
    for (; i < a.size() && b[i] != '\0'; ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return i == a.size() && b[i] == '\0';
}

// User input echoed in a one-line message: keep it on one line.
std::string printable(const std::string& s) {
    std::string out;
    for (unsigned char c : s) out.push_back(c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c));
    return out;
}

}  // namespace

std::string authority_host_for_environment(const std::string& environment) {
    // The names kubelogin's GetCloudConfiguration knows (options.go), any case.
    if (environment.empty() || iequals(environment, "AzurePublicCloud") || iequals(environment, "AzureCloud") ||
        iequals(environment, "AzurePublic")) {
        return "https://login.microsoftonline.com";
    }
    if (iequals(environment, "AzureChinaCloud")) return "https://login.chinacloudapi.cn";
    if (iequals(environment, "AzureUSGovernmentCloud") || iequals(environment, "AzureUSGovernment")) {
        return "https://login.microsoftonline.us";
    }
    throw UsageError("unknown --environment \"" + printable(environment) +
                     "\" (expected AzurePublicCloud, AzureChinaCloud or AzureUSGovernmentCloud)");
}

std::vector<std::string> cloud_environment_names() {
    return {"AzurePublicCloud", "AzureChinaCloud", "AzureUSGovernmentCloud"};
}

std::string normalize_authority_host(const std::string& url, const std::string& source) {
    const auto parsed = parse_url(url);
    bool ok = parsed && parsed->scheme == "https";
    if (ok) {
        // Only a bare host: the tenant is appended later, so no path or query.
        for (char c : parsed->path) ok = ok && c == '/';
    }
    if (!ok) {
        throw UsageError(source + " must be an https URL such as https://login.microsoftonline.com, got \"" +
                         printable(url) + "\"");
    }
    return parsed->origin();
}

}  // namespace aks
