#include "core/login_flag_help.h"

#include "core/cloud.h"

#include <sstream>
#include <vector>

#include "core/login_flags.h"

namespace aks {
namespace {

constexpr std::size_t kColumn = 35;  // where help text starts
constexpr std::size_t kWidth = 110;  // longest line

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
    return out;
}

// "  -t, --tenant-id TENANT"
std::string left_column(const LoginFlagSpec& f) {
    std::string s = f.short_name != 0 ? std::string("  -") + f.short_name + ", " : std::string("      ");
    s += flag_display(f);
    if (f.value_name != nullptr) s += std::string(" ") + f.value_name;
    return s;
}

// A help row: `left`, then `text` from column kColumn ('\n' starts a new
// line; a line too long for kWidth wraps at a space, indented two more).
void add_row(std::string& out, std::string left, const std::string& text) {
    if (left.size() + 1 > kColumn) {
        out += left + "\n";
        left.clear();
    }
    left.resize(kColumn, ' ');
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = text.find('\n', start);
        std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
        std::string indent;
        while (kColumn + indent.size() + line.size() > kWidth) {
            const std::size_t cut = line.rfind(' ', kWidth - kColumn - indent.size());
            if (cut == std::string::npos || cut == 0) break;
            out += left + indent + line.substr(0, cut) + "\n";
            left.assign(kColumn, ' ');
            line = line.substr(cut + 1);
            indent = "  ";
        }
        out += left + indent + line + "\n";
        left.assign(kColumn, ' ');
        if (end == std::string::npos) break;
        start = end + 1;
    }
}

// Plain text wrapped at kWidth columns.
std::string wrap(const std::string& text) {
    std::string out, line;
    std::istringstream words(text);
    for (std::string w; words >> w;) {
        if (!line.empty() && line.size() + 1 + w.size() > kWidth) {
            out += line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + w;
    }
    return out + line + "\n";
}

std::string names_of(const EnvRule& r) {
    std::vector<std::string> names;
    for (const char* n : r.names) {
        if (n != nullptr) names.emplace_back(n);
    }
    return join(names);
}

const char* precedence_text(EnvPrecedence p) {
    return p == EnvPrecedence::Overrides ? "beats the flag" : "only without the flag";
}

bool used(const EnvRule& r) { return r.modes != 0 && r.precedence != EnvPrecedence::External; }

// The AzureRm rule that goes with a standard one (same modes and precedence).
const EnvRule* azurerm_twin(const LoginFlagSpec& f, const EnvRule& standard) {
    for (const EnvRule& r : f.env) {
        if (used(r) && r.set == EnvSet::AzureRm && r.modes == standard.modes && r.precedence == standard.precedence)
            return &r;
    }
    return nullptr;
}

std::vector<std::string> env_lines(const LoginFlagSpec& f) {
    std::vector<std::string> lines;
    for (const EnvRule& r : f.env) {
        if (!used(r)) continue;
        std::string text = "env " + names_of(r);
        if (r.set == EnvSet::Standard) {
            if (const EnvRule* rm = azurerm_twin(f, r)) text += " (" + names_of(*rm) + " with --use-azurerm-env-vars)";
        } else if (r.set == EnvSet::AzureRm) {
            bool merged = false;
            for (const EnvRule& s : f.env) merged = merged || (used(s) && s.set == EnvSet::Standard && azurerm_twin(f, s) == &r);
            if (merged) continue;
            text += " with --use-azurerm-env-vars";
        }
        lines.push_back(text + ": " + mode_set_text(r.modes) + "; " + precedence_text(r.precedence));
    }
    return lines;
}

bool listed_as_flag(const LoginFlagSpec& f, bool with_convert_only) {
    if (f.support == Support::Refused) return false;
    if (f.support == Support::NoOp && f.reads == 0) return false;
    return with_convert_only || f.scope != Scope::ConvertOnly;
}

bool every_mode(ModeSet set) { return set == login_flag(FlagId::Login).reads; }

// Flags of a mode's set, as "--name" (alias rows, --login and the flags of
// every mode left out: the tables say those once).
std::vector<std::string> flags_where(ModeSet LoginFlagSpec::*set, LoginMode m) {
    std::vector<std::string> out;
    for (const auto& f : login_flag_table()) {
        if (f.alias_of != nullptr || f.id == FlagId::Login || !has_mode(f.*set, m) || every_mode(f.*set)) continue;
        out.push_back(flag_display(f));
    }
    return out;
}

// What every mode reads and keeps, and the variables every mode reads.
std::string common_text(bool markdown) {
    auto q = [markdown](const std::string& s) { return markdown ? "`" + s + "`" : s; };
    std::vector<std::string> flags, vars;
    for (const auto& f : login_flag_table()) {
        if (f.alias_of != nullptr) continue;
        if (every_mode(f.reads) && f.id != FlagId::Login) flags.push_back(q(flag_display(f)));
        for (const EnvRule& r : f.env) {
            if (r.modes == 0 || !every_mode(r.modes)) continue;
            const std::string how = r.precedence == EnvPrecedence::Overrides ? " (over " + q(flag_display(f)) + ")" : "";
            for (const char* n : r.names) {
                if (n != nullptr) vars.push_back(q(n) + how);
            }
        }
    }
    return "Every mode also reads " + join(flags) + " (and keeps them from the old entry), and the environment's " +
           join(vars) + ".\n";
}

// "over the flag: A, B; if no flag: C; always: D" for one mode (the
// standard names; --use-azurerm-env-vars swaps in Terraform's).
std::string env_for_mode(LoginMode m, bool markdown) {
    const std::pair<EnvPrecedence, const char*> kinds[] = {
        {EnvPrecedence::Overrides, "over the flag"},
        {EnvPrecedence::Fallback, "if no flag"},
        {EnvPrecedence::External, "always"},
    };
    std::vector<std::string> parts;
    for (const auto& [kind, label] : kinds) {
        std::vector<std::string> names;
        for (const auto& f : login_flag_table()) {
            if (f.alias_of != nullptr || !has_mode(f.reads, m)) continue;
            for (const EnvRule& r : f.env) {
                if (r.modes == 0 || !has_mode(r.modes, m) || every_mode(r.modes) || r.set == EnvSet::AzureRm ||
                    r.precedence != kind)
                    continue;
                for (const char* n : r.names) {
                    if (n != nullptr) names.push_back(markdown ? "`" + std::string(n) + "`" : std::string(n));
                }
            }
        }
        if (!names.empty()) parts.push_back(std::string(label) + ": " + join(names));
    }
    return parts.empty() ? std::string(markdown ? "—" : "nothing else") : join(parts, "; ");
}

std::vector<std::string> required_for_mode(LoginMode m, ModeSet LoginFlagSpec::*set) {
    std::vector<std::string> out = flags_where(set, m);
    // The one either-or rule (get-token only): a secret or a certificate.
    if (m == LoginMode::Spn && set == &LoginFlagSpec::required) out.emplace_back("--client-secret or --client-certificate");
    return out;
}

}  // namespace

std::string login_flags_help(bool with_convert_only) {
    std::string out = "Login flags (Azure/kubelogin's names; \"env\" lines name the environment variables read\n"
                      "instead, per login mode; --disable-environment-override turns them off):\n";
    for (const auto& f : login_flag_table()) {
        if (!listed_as_flag(f, with_convert_only)) continue;
        std::string text = f.help;
        if (f.origin == Origin::AksToken) text += " [aks-token]";
        if (f.reads != 0 && f.reads != login_flag(FlagId::Login).reads && f.alias_of == nullptr)
            text += "\nread by: " + mode_set_text(f.reads);
        for (const auto& line : env_lines(f)) text += "\n" + line;
        add_row(out, left_column(f), text);
    }
    for (const auto& f : login_flag_table()) {
        if (f.support == Support::NoOp && f.reads == 0) add_row(out, left_column(f), f.help);
    }
    out += "  Not supported (refused in one line, nothing written):\n";
    for (const auto& f : login_flag_table()) {
        if (f.support == Support::Refused) add_row(out, left_column(f), f.help);
    }
    return out;
}

std::string login_flag_names() {
    std::string out, line = " ";
    for (const auto& f : login_flag_table()) {
        if (!listed_as_flag(f, false) || f.alias_of != nullptr) continue;
        std::string name = f.short_name != 0 ? std::string("-") + f.short_name + "/" : std::string();
        name += flag_display(f);
        if (line.size() + name.size() + 2 > 100) {
            out += line + "\n";
            line = " ";
        }
        line += " " + name + ",";
    }
    line.pop_back();
    return out + line + "\n";
}

std::string login_modes_help() {
    std::string out = "Login modes (-l, --login):\n";
    for (const auto& m : login_modes()) add_row(out, std::string("  ") + m.name, m.summary);
    return out;
}

std::string login_modes_table_text() {
    std::string out = wrap(common_text(false)) + "\n";
    for (const auto& m : login_modes()) {
        out += std::string(m.name) + ": " + m.summary + "\n";
        add_row(out, "  reads", join(flags_where(&LoginFlagSpec::reads, m.mode)));
        add_row(out, "  kept from the old entry on -l", join(flags_where(&LoginFlagSpec::carried, m.mode)));
        auto or_nothing = [](const std::vector<std::string>& v) { return v.empty() ? std::string("nothing") : join(v); };
        add_row(out, "  environment", env_for_mode(m.mode, false));
        add_row(out, "  get-token requires", or_nothing(required_for_mode(m.mode, &LoginFlagSpec::required)));
        add_row(out, "  the entry must carry", or_nothing(required_for_mode(m.mode, &LoginFlagSpec::required_in_entry)));
    }
    return out;
}

std::string login_modes_table_markdown() {
    std::string out =
        "| `--login` | reads (convert-kubeconfig writes these, nothing else) | kept from the old entry when `-l` "
        "switches to it | environment | get-token requires | the converted entry must carry |\n"
        "|---|---|---|---|---|---|\n";
    const std::string footer = "\n" + common_text(true);
    auto code = [](std::vector<std::string> items) {
        for (auto& i : items) {
            std::string quoted;
            for (std::size_t at = 0; at != std::string::npos;) {  // "--a or --b" → "`--a` or `--b`"
                const std::size_t or_at = i.find(" or ", at);
                quoted += (quoted.empty() ? "`" : " or `") + i.substr(at, or_at == std::string::npos ? or_at : or_at - at) + "`";
                at = or_at == std::string::npos ? or_at : or_at + 4;
            }
            i = quoted;
        }
        return items.empty() ? std::string("—") : join(items);
    };
    for (const auto& m : login_modes()) {
        out += std::string("| `") + m.name + "` | " + code(flags_where(&LoginFlagSpec::reads, m.mode)) + " | " +
               code(flags_where(&LoginFlagSpec::carried, m.mode)) + " | " + env_for_mode(m.mode, true) + " | " +
               code(required_for_mode(m.mode, &LoginFlagSpec::required)) + " | " +
               code(required_for_mode(m.mode, &LoginFlagSpec::required_in_entry)) + " |\n";
    }
    return out + footer;
}

namespace {

ValueHint hint_for(const LoginFlagSpec& f) {
    if (f.kind == ValueKind::Bool) return ValueHint::None;
    const std::string value = f.value_name ? f.value_name : "";
    if (value == "FILE") return ValueHint::File;
    if (value == "DIR") return ValueHint::Dir;
    if (f.id == FlagId::Login || f.id == FlagId::Environment) return ValueHint::Choice;
    return ValueHint::Text;
}

std::vector<std::string> choices_for(const LoginFlagSpec& f) {
    std::vector<std::string> out;
    if (f.id == FlagId::Login)
        for (const LoginModeInfo& m : login_modes()) out.push_back(m.name);
    if (f.id == FlagId::Environment) out = cloud_environment_names();
    return out;
}

}  // namespace

OptionGroup login_flag_options(bool with_convert_only) {
    OptionGroup g{with_convert_only ? "Login flags written into the entry" : "Login flags", {}};
    for (const LoginFlagSpec& f : login_flag_table()) {
        // A refused flag is parsed only to say it is unsupported: nothing to offer.
        if (f.support == Support::Refused) continue;
        if (f.scope == Scope::ConvertOnly && !with_convert_only) continue;
        std::string help = f.help ? f.help : "";
        help = help.substr(0, help.find('\n'));
        g.options.push_back(
            OptionDoc{f.name, f.short_name, f.value_name ? f.value_name : "", help, hint_for(f), choices_for(f)});
    }
    return g;
}

}  // namespace aks
