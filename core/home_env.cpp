#include "core/home_env.h"

#include <pwd.h>
#include <unistd.h>

#include <utility>

namespace aks {
namespace {

std::optional<std::string> password_db_home() {
    struct passwd pw;
    struct passwd* result = nullptr;
    char buf[4096];
    if (getpwuid_r(geteuid(), &pw, buf, sizeof buf, &result) == 0 && result != nullptr &&
        result->pw_dir != nullptr && result->pw_dir[0] != '\0') {
        return std::string(result->pw_dir);
    }
    return std::nullopt;
}

}  // namespace

EnvLookup with_account_home(EnvLookup base) {
    return [base = std::move(base)](const std::string& name) -> std::optional<std::string> {
        auto value = base ? base(name) : std::nullopt;
        if (name == "HOME" && (!value || value->empty())) return password_db_home();
        return value;
    };
}

}  // namespace aks
