// convert-kubeconfig on one exec entry: the input is lines, in sections split
// by a "|" line: the entry's args (after get-token), the flags given to
// convert-kubeconfig, the entry's env list and convert-kubeconfig's own
// environment (NAME=VALUE lines). Properties: only UsageError escapes; a
// result starts with get-token --login <a mode>; converting the result again
// with no flags gives the same entry (the converted entry is a fixed point,
// so a second convert-kubeconfig changes nothing); a secret's value (one with
// a '#', which no note's own text has) never shows up in a note.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/errors.h"
#include "core/login_args.h"
#include "kubeconfig/convert_kubeconfig.h"

namespace {

using EnvList = std::vector<std::pair<std::string, std::string>>;

EnvList env_list(const std::vector<std::string>& lines) {
    EnvList out;
    for (const auto& l : lines) {
        const std::size_t eq = l.find('=');
        if (eq != std::string::npos && eq > 0) out.emplace_back(l.substr(0, eq), l.substr(eq + 1));
    }
    return out;
}

aks::EnvLookup lookup(EnvList list) {
    return [list = std::move(list)](const std::string& name) -> std::optional<std::string> {
        for (auto it = list.rbegin(); it != list.rend(); ++it) {
            if (it->first == name) return it->second;
        }
        return std::nullopt;
    };
}

aks::kubeconfig::User exec_user(const std::string& command, std::vector<std::string> args, EnvList env) {
    aks::kubeconfig::User u;
    u.name = "u";
    aks::kubeconfig::ExecEntry e;
    e.command = command;
    e.args = std::move(args);
    e.env = std::move(env);
    u.exec = e;
    return u;
}

// The entry's env list after the conversion set its variables.
EnvList with_set(EnvList env, const EnvList& set) {
    for (const auto& [name, value] : set) {
        bool found = false;
        for (auto& item : env) {
            if (item.first == name) {
                item.second = value;
                found = true;
            }
        }
        if (!found) env.emplace_back(name, value);
    }
    return env;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::vector<std::string>> sections(1);
    std::string line;
    const std::string text(reinterpret_cast<const char*>(data), size);
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && text[i] != '\n') {
            line += text[i];
            continue;
        }
        if (line == "|") {
            if (sections.size() < 4) sections.emplace_back();
        } else {
            sections.back().push_back(line);
        }
        line.clear();
    }
    sections.resize(4);

    std::vector<std::string> entry_args = {"get-token"};
    entry_args.insert(entry_args.end(), sections[0].begin(), sections[0].end());
    const EnvList entry_env = env_list(sections[2]);
    aks::kubeconfig::ConvertOptions opts;
    aks::kubeconfig::UserConversion first;
    try {
        std::vector<std::string> rest;
        opts.flags = aks::split_login_flags(sections[1], rest);
        if (!rest.empty()) return 0;  // the command refuses these before converting
        opts.env = lookup(env_list(sections[3]));
        first = aks::kubeconfig::convert_user(exec_user("kubelogin", entry_args, entry_env), opts);
    } catch (const aks::UsageError&) {
        return 0;  // refused with one line: the expected outcome for bad input
    }

    if (first.args.size() < 3 || first.args[0] != "get-token" || first.args[1] != "--login" ||
        !aks::login_mode_named(first.args[2]))
        std::abort();

    // Converting the result again, as an aks-token entry, with no flags.
    const EnvList new_env = with_set(entry_env, first.env);
    aks::kubeconfig::UserConversion again;
    try {
        again = aks::kubeconfig::convert_user(exec_user("aks-token", first.args, new_env), {});
    } catch (const aks::UsageError&) {
        std::abort();  // what was written must convert again
    }
    if (again.args != first.args || with_set(new_env, again.env) != new_env) std::abort();

    // Secrets never reach a note (only -l's and AAD_LOGIN_METHOD's text is echoed).
    std::vector<std::string> echoed = sections[3];
    for (const auto& f : opts.flags) {
        if (!f.spec->secret) echoed.push_back(f.value);
    }
    auto check_secret = [&](const std::string& value) {
        if (value.find('#') == std::string::npos) return;
        for (const auto& e : echoed) {
            if (e.find(value) != std::string::npos) return;
        }
        for (const auto& n : first.notes) {
            if (n.find(value) != std::string::npos) std::abort();
        }
    };
    for (const auto& f : opts.flags) {
        if (f.spec->secret) check_secret(f.value);
    }
    std::vector<std::string> rest;
    try {
        for (const auto& f : aks::split_login_flags(sections[0], rest)) {
            if (f.spec->secret) check_secret(f.value);
        }
    } catch (const aks::UsageError&) {
    }
    return 0;
}
