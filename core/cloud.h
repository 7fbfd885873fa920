#pragma once
#include <string>
#include <vector>

namespace aks {

constexpr const char* kAksServerId = "6dae42f8-4368-4678-94ff-3960e28e3630";
constexpr const char* kAksClientId = "80faf920-1908-4b52-b5ef-a8e7bedfc67a";

// -e/--environment value → authority host base URL, e.g.
// "AzurePublicCloud" → "https://login.microsoftonline.com". Case-insensitive;
// empty means public. Throws UsageError naming the accepted values.
std::string authority_host_for_environment(const std::string& environment);

// The canonical -e/--environment names (completions offer these).
std::vector<std::string> cloud_environment_names();

// Normalises an --authority-host / AZURE_AUTHORITY_HOST value: must be https,
// trailing slashes removed, host lowercased. Throws UsageError naming
// `source` (the flag or environment variable it came from) otherwise.
std::string normalize_authority_host(const std::string& url, const std::string& source = "--authority-host");

}  // namespace aks
