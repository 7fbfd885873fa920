#pragma once
// An EnvLookup over a fixed map: tests decide exactly what the environment holds.
#include <map>
#include <optional>
#include <string>

#include "core/login_args.h"

namespace aks_test {

inline aks::EnvLookup env_of(std::map<std::string, std::string> m) {
    return [m](const std::string& k) -> std::optional<std::string> {
        auto it = m.find(k);
        if (it == m.end()) return std::nullopt;
        return it->second;
    };
}

}  // namespace aks_test
