// The login flag table (core/login_flags) and the texts made from it.
#include "core/login_flags.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "core/login_flag_help.h"

using aks::FlagId;
using aks::LoginFlagSpec;
using aks::LoginMode;

namespace {

bool subset(aks::ModeSet a, aks::ModeSet b) { return (a & ~b) == 0; }

std::string read_source_file(const std::string& rel) {
    std::ifstream in(std::string(AKS_SOURCE_DIR) + "/" + rel, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("every flag of kubelogin's get-token and convert-kubeconfig has a row", "[login_flags]") {
    // Azure/kubelogin 66784961ef44: pkg/internal/token/options.go AddFlags and
    // pkg/internal/converter/options.go AddFlags (--context and --kubeconfig
    // are convert-kubeconfig's own options, not login flags).
    const std::vector<std::pair<const char*, char>> kubelogin = {
        {"login", 'l'}, {"client-id", 0}, {"client-secret", 0}, {"client-certificate", 0},
        {"client-certificate-password", 0}, {"username", 0}, {"password", 0}, {"identity-resource-id", 0},
        {"server-id", 0}, {"federated-token-file", 0}, {"authority-host", 0},
        {"azure-pipelines-service-connection-id", 0}, {"token-cache-dir", 0}, {"cache-dir", 0}, {"tenant-id", 't'},
        {"subscription", 's'}, {"environment", 'e'}, {"legacy", 0}, {"use-azurerm-env-vars", 0}, {"pop-enabled", 0},
        {"timeout", 0}, {"pop-claims", 0}, {"disable-environment-override", 0}, {"disable-instance-discovery", 0},
        {"redirect-url", 0}, {"login-hint", 0}, {"azure-config-dir", 0}, {"logtostderr", 0},
    };
    for (const auto& [name, short_name] : kubelogin) {
        INFO(name);
        const LoginFlagSpec* f = aks::find_login_flag(name);
        REQUIRE(f != nullptr);
        CHECK(f->short_name == short_name);
        CHECK(f->origin == aks::Origin::Kubelogin);
    }
}

TEST_CASE("the flag table is consistent", "[login_flags]") {
    std::set<std::string> names;
    std::set<char> shorts;
    for (const LoginFlagSpec& f : aks::login_flag_table()) {
        INFO(f.name);
        CHECK(names.insert(f.name).second);
        if (f.short_name != 0) CHECK(shorts.insert(f.short_name).second);
        CHECK(&aks::login_flag(f.id) == &f);
        // What conversion keeps or requires is something the mode reads.
        CHECK(subset(f.carried, f.reads));
        CHECK(subset(f.required, f.reads));
        CHECK(subset(f.required_in_entry, f.required));
        for (const aks::EnvRule& r : f.env) CHECK(subset(r.modes, f.reads));
        CHECK((f.kind == aks::ValueKind::Bool) == (f.value_name == nullptr));
        if (f.alias_of != nullptr) CHECK(aks::find_login_flag(f.alias_of) != nullptr);
        if (f.support == aks::Support::Refused) CHECK(f.reads == 0);
        // A secret written into a kubeconfig comes with the variable to use instead.
        if (f.secret) CHECK_FALSE(aks::recommended_env(f).empty());
    }
    CHECK(aks::login_mode_list() == "devicecode, interactive, spn, ropc, msi, azurecli, azd, workloadidentity");
    for (const auto& m : aks::login_modes()) CHECK(aks::login_mode_named(m.name) == m.mode);
    CHECK_FALSE(aks::login_mode_named("azurepipelines"));
    CHECK(aks::recommended_env(aks::login_flag(FlagId::ClientSecret)) == "AAD_SERVICE_PRINCIPAL_CLIENT_SECRET");
    CHECK(aks::recommended_env(aks::login_flag(FlagId::Password)) == "AAD_USER_PRINCIPAL_PASSWORD");
    CHECK(aks::env_names_for(aks::login_flag(FlagId::ClientId), LoginMode::Spn, true) ==
          std::vector<std::string>{"ARM_CLIENT_ID"});
    CHECK(aks::env_names_for(aks::login_flag(FlagId::ClientId), LoginMode::DeviceCode, false).empty());
}

TEST_CASE("help lists every accepted flag and names the refused ones", "[login_flags]") {
    const std::string help = aks::login_flags_help(false);
    const std::string convert_help = aks::login_flags_help(true);
    const std::size_t refused_at = help.find("Not supported");
    REQUIRE(refused_at != std::string::npos);
    for (const LoginFlagSpec& f : aks::login_flag_table()) {
        INFO(f.name);
        const std::string shown = aks::flag_display(f) + (f.value_name ? std::string(" ") + f.value_name : "");
        const std::size_t at = help.find(shown);
        if (f.scope == aks::Scope::ConvertOnly) {
            CHECK(at == std::string::npos);
            CHECK(convert_help.find(shown) != std::string::npos);
        } else if (f.support == aks::Support::Refused) {
            CHECK(at > refused_at);
        } else {
            CHECK(at < refused_at);
        }
    }
    for (const auto& m : aks::login_modes()) CHECK(aks::login_modes_help().find(m.name) != std::string::npos);
    // Every line fits a terminal of 110 columns.
    std::istringstream lines(help + aks::login_modes_table_text());
    for (std::string line; std::getline(lines, line);) CHECK(line.size() <= 110);
}

TEST_CASE("the README's per-mode table is the generated one", "[login_flags]") {
    const std::string readme = read_source_file("README.md");
    const std::string begin = "<!-- login-modes-table: generated by login_modes_table_markdown(); a unit test keeps it equal -->\n";
    const std::size_t from = readme.find(begin);
    const std::size_t to = readme.find("<!-- end login-modes-table -->");
    REQUIRE(from != std::string::npos);
    REQUIRE(to != std::string::npos);
    // On failure: paste aks::login_modes_table_markdown() between the markers.
    CHECK(readme.substr(from + begin.size(), to - from - begin.size()) == aks::login_modes_table_markdown());
}
