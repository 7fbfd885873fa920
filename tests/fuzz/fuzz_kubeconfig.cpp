// Kubeconfig YAML through the kubeconfig/ loading API: kubeconfig::parse
// either refuses the text with a one-line UsageError or returns a config in
// which every name it lists can be found again; the login settings of each
// user are either derived or refused with a UsageError. No other exception
// (yaml-cpp's own included) escapes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/errors.h"
#include "kubeconfig/context_settings.h"
#include "kubeconfig/kubeconfig.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    aks::kubeconfig::Kubeconfig kc;
    try {
        kc = aks::kubeconfig::parse(text, "/fuzz/kubeconfig");
    } catch (const aks::UsageError& e) {
        const std::string msg = e.what();
        if (msg.find('\n') != std::string::npos) std::abort();
        return 0;
    }
    for (const auto& c : kc.contexts)
        if (!kc.find_context(c.name)) std::abort();
    for (const auto& c : kc.clusters)
        if (!kc.find_cluster(c.name)) std::abort();
    const aks::EnvLookup env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    for (const auto& u : kc.users) {
        if (!kc.find_user(u.name)) std::abort();
        try {
            (void)aks::kubeconfig::login_settings_for_user(u, env);
        } catch (const aks::UsageError&) {
        }
    }
    return 0;
}
