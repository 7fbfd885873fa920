#include "core/cli_doc.h"

#include <algorithm>
#include <sstream>

#include "core/errors.h"

namespace aks {
namespace {

std::string dashed(const OptionDoc& o) { return "--" + o.name; }
std::string short_dashed(const OptionDoc& o) { return o.short_name ? std::string("-") + o.short_name : ""; }

// "_aks_token" from "aks-token": a shell function name.
std::string function_name(const std::string& program) {
    std::string out = "_";
    for (char c : program) out += (c == '-' || c == '.') ? '_' : c;
    return out;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
    std::string out;
    for (const std::string& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

// Every name a command answers to.
std::vector<std::string> names_of(const CommandDoc& c) {
    std::vector<std::string> out{c.name};
    out.insert(out.end(), c.aliases.begin(), c.aliases.end());
    return out;
}

std::vector<std::string> flag_words(const std::vector<OptionDoc>& options) {
    std::vector<std::string> out;
    for (const OptionDoc& o : options) {
        out.push_back(dashed(o));
        if (o.short_name) out.push_back(short_dashed(o));
    }
    return out;
}

// ---- bash ------------------------------------------------------------------

// The bash `case` pattern of a flag's spellings: "-l|--login".
std::string bash_pattern(const OptionDoc& o) { return o.short_name ? short_dashed(o) + "|" + dashed(o) : dashed(o); }

void bash_value_cases(std::ostream& out, const CliDoc& doc, const std::vector<OptionDoc>& options,
                      const std::string& indent) {
    std::vector<std::string> text;  // free-text values: nothing to offer, but not a flag either
    out << indent << "case $flag in\n";
    for (const OptionDoc& o : options) {
        if (o.hint == ValueHint::None) continue;
        if (o.hint == ValueHint::Text) {
            text.push_back(bash_pattern(o));
            continue;
        }
        out << indent << "    " << bash_pattern(o) << ") ";
        switch (o.hint) {
            case ValueHint::Choice:
                out << "COMPREPLY=($(compgen -W \"" << join(o.choices, " ") << "\" -- \"$cur\"))";
                break;
            case ValueHint::File: out << "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))"; break;
            case ValueHint::Dir: out << "compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\"))"; break;
            case ValueHint::Context:
                out << "COMPREPLY=($(compgen -W \"$(" << doc.program
                    << " __contexts \"${kubeconfig[@]}\" 2>/dev/null)\" -- \"$cur\"))";
                break;
            default: break;
        }
        out << "; return 0 ;;\n";
    }
    if (!text.empty()) out << indent << "    " << join(text, "|") << ") return 0 ;;\n";
    out << indent << "esac\n";
}

// ---- zsh -------------------------------------------------------------------

// Text inside a single-quoted _arguments spec's [description].
std::string zsh_help(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '\'') out += "'\\''";
        else if (c == '[' || c == ']' || c == ':' || c == '\\') out += std::string("\\") + c;
        else out += c;
    }
    return out;
}

std::string zsh_action(const CliDoc& doc, const OptionDoc& o) {
    const std::string label = o.value_name.empty() ? "value" : o.value_name;
    switch (o.hint) {
        case ValueHint::Choice: return ":" + label + ":(" + join(o.choices, " ") + ")";
        case ValueHint::File: return ":" + label + ":_files";
        case ValueHint::Dir: return ":" + label + ":_files -/";
        case ValueHint::Context: return ":" + label + ":" + function_name(doc.program) + "_contexts";
        case ValueHint::Text: return ":" + label + ": ";
        case ValueHint::None: return "";
    }
    return "";
}

void zsh_specs(std::ostream& out, const CliDoc& doc, const std::vector<OptionDoc>& options, const std::string& indent) {
    for (const OptionDoc& o : options) {
        const bool value = o.hint != ValueHint::None;
        const std::string rest = "[" + zsh_help(o.help) + "]" + zsh_action(doc, o);
        out << indent << "'" << dashed(o) << (value ? "=" : "") << rest << "'\n";
        if (o.short_name) out << indent << "'" << short_dashed(o) << (value ? "+" : "") << rest << "'\n";
    }
}

// ---- fish ------------------------------------------------------------------

std::string fish_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

void fish_options(std::ostream& out, const CliDoc& doc, const std::vector<OptionDoc>& options,
                  const std::string& condition) {
    for (const OptionDoc& o : options) {
        out << "complete -c " << doc.program;
        if (!condition.empty()) out << " -n " << fish_quote(condition);
        if (o.short_name) out << " -s " << o.short_name;
        out << " -l " << o.name;
        switch (o.hint) {
            case ValueHint::Choice: out << " -x -a " << fish_quote(join(o.choices, " ")); break;
            case ValueHint::File: out << " -r -F"; break;
            case ValueHint::Dir: out << " -x -a '(__fish_complete_directories)'"; break;
            case ValueHint::Context: out << " -x -a " << fish_quote("(" + doc.program + " __contexts 2>/dev/null)"); break;
            case ValueHint::Text: out << " -x"; break;
            case ValueHint::None: break;
        }
        out << " -d " << fish_quote(o.help) << "\n";
    }
}

// ---- man -------------------------------------------------------------------

// Text for a roff line: backslashes and hyphens escaped, a leading control
// character neutralised.
std::string roff(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '\\') out += "\\e";
        else if (c == '-') out += "\\-";
        else out += c;
    }
    if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
    return out;
}

// Paragraphs: blank lines separate them; lines indented by two spaces are
// preformatted (examples, command lines) and kept as they are.
void roff_text(std::ostream& out, const std::string& text) {
    std::istringstream in(text);
    std::string line;
    bool pre = false;
    bool first = true;
    while (std::getline(in, line)) {
        const bool indented = line.rfind("  ", 0) == 0;
        if (line.empty()) {
            if (pre) out << ".fi\n.in\n";
            pre = false;
            if (!first) out << ".PP\n";
            continue;
        }
        first = false;
        if (indented && !pre) out << ".in +4n\n.nf\n";
        if (!indented && pre) out << ".fi\n.in\n";
        pre = indented;
        out << roff(indented ? line.substr(2) : line) << "\n";
    }
    if (pre) out << ".fi\n.in\n";
}

void roff_options(std::ostream& out, const std::vector<OptionDoc>& options) {
    for (const OptionDoc& o : options) {
        out << ".TP\n";
        if (o.short_name) out << "\\fB" << roff(short_dashed(o)) << "\\fR, ";
        out << "\\fB" << roff(dashed(o)) << "\\fR";
        if (!o.value_name.empty()) out << " \\fI" << roff(o.value_name) << "\\fR";
        out << "\n" << roff(o.help) << "\n";
    }
}

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

}  // namespace

std::vector<OptionDoc> all_options(const std::vector<OptionGroup>& groups) {
    std::vector<OptionDoc> out;
    for (const OptionGroup& g : groups) out.insert(out.end(), g.options.begin(), g.options.end());
    return out;
}

std::string format_option_group(const OptionGroup& g) {
    std::vector<std::string> heads;
    std::size_t width = 0;
    for (const OptionDoc& o : g.options) {
        std::string head = "  " + (o.short_name ? short_dashed(o) + ", " : std::string()) + dashed(o);
        if (!o.value_name.empty()) head += " " + o.value_name;
        width = std::max(width, head.size());
        heads.push_back(std::move(head));
    }
    width = std::min<std::size_t>(width, 30);
    std::string out = g.title.empty() ? "" : g.title + ":\n";
    for (std::size_t i = 0; i < heads.size(); ++i) {
        out += heads[i];
        // A head too long for the column gets its help on the next line.
        out += heads[i].size() < width + 1 ? std::string(width + 3 - heads[i].size(), ' ')
                                           : "\n" + std::string(width + 3, ' ');
        out += g.options[i].help + "\n";
    }
    return out;
}

std::string bash_completion(const CliDoc& doc) {
    const std::string fn = function_name(doc.program);
    const std::vector<OptionDoc> top = all_options(doc.groups);
    std::vector<std::string> command_words;
    for (const CommandDoc& c : doc.commands)
        if (!c.hidden)
            for (const std::string& n : names_of(c)) command_words.push_back(n);
    std::vector<std::string> top_value_flags;
    for (const OptionDoc& o : top)
        if (o.hint != ValueHint::None) top_value_flags.push_back(bash_pattern(o));

    std::ostringstream out;
    out << "# bash completion for " << doc.program << ", made by `" << doc.program
        << " completion bash` from the tables its parser reads: do not edit.\n"
        << fn << "() {\n"
        << "    local cur=${COMP_WORDS[COMP_CWORD]} flag= cmd= i opts= args=\n"
        << "    local -a kubeconfig=()\n"
        << "    COMPREPLY=()\n"
        << "    # The flag whose value is wanted: \"--flag VALUE\", or \"--flag=VALUE\" (bash splits at '=').\n"
        << "    if [[ $cur == = ]]; then\n"
        << "        flag=${COMP_WORDS[COMP_CWORD-1]}; cur=\n"
        << "    elif ((COMP_CWORD >= 2)) && [[ ${COMP_WORDS[COMP_CWORD-1]} == = ]]; then\n"
        << "        flag=${COMP_WORDS[COMP_CWORD-2]}\n"
        << "    elif ((COMP_CWORD >= 1)); then\n"
        << "        flag=${COMP_WORDS[COMP_CWORD-1]}\n"
        << "    fi\n"
        << "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
        << "        local w=${COMP_WORDS[i]} next=${COMP_WORDS[i+1]:-}\n"
        << "        [[ $next == = ]] && next=${COMP_WORDS[i+2]:-}\n"
        << "        [[ $w == --kubeconfig ]] && kubeconfig=(--kubeconfig \"$next\")\n"
        << "        [[ -n $cmd ]] && continue\n"
        << "        case $w in\n";
    if (!top_value_flags.empty())
        out << "            " << join(top_value_flags, "|")
            << ") ((i++)); [[ ${COMP_WORDS[i]:-} == = ]] && ((i++)) ;;\n";
    out << "            -*|=) ;;\n"
        << "            *) cmd=$w ;;\n"
        << "        esac\n"
        << "    done\n"
        << "    case $cmd in\n"
        << "        '')\n";
    bash_value_cases(out, doc, top, "            ");
    out << "            args=\"" << join(command_words, " ") << "\"\n"
        << "            opts=\"" << join(flag_words(top), " ") << "\" ;;\n";
    for (const CommandDoc& c : doc.commands) {
        std::vector<OptionDoc> options = all_options(c.groups);
        options.insert(options.end(), top.begin(), top.end());
        out << "        " << join(names_of(c), "|") << ")\n";
        bash_value_cases(out, doc, options, "            ");
        if (!c.arguments.empty()) out << "            args=\"" << join(c.arguments, " ") << "\"\n";
        out << "            opts=\"" << join(flag_words(options), " ") << "\" ;;\n";
    }
    out << "    esac\n"
        << "    # A word not starting with '-' is a command or argument when there are any; else flags.\n"
        << "    [[ $cur != -* && -n $args ]] && opts=$args\n"
        << "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
        << "}\n"
        << "complete -F " << fn << " " << doc.program << "\n";
    return out.str();
}

std::string zsh_completion(const CliDoc& doc) {
    const std::string fn = function_name(doc.program);
    const std::vector<OptionDoc> top = all_options(doc.groups);
    std::ostringstream out;
    out << "#compdef " << doc.program << "\n"
        << "# zsh completion for " << doc.program << ", made by `" << doc.program
        << " completion zsh` from the tables its parser reads: do not edit.\n\n"
        << fn << "_contexts() {\n"
        << "    local -a contexts kubeconfig\n"
        << "    local i=${words[(I)--kubeconfig]}\n"
        << "    (( i > 0 )) && kubeconfig=(--kubeconfig \"${words[i+1]}\")\n"
        << "    contexts=(${(f)\"$(" << doc.program << " __contexts $kubeconfig 2>/dev/null)\"})\n"
        << "    compadd -a contexts\n"
        << "}\n\n"
        << fn << "() {\n"
        << "    local curcontext=$curcontext state line\n"
        << "    local -a commands\n"
        << "    commands=(\n";
    for (const CommandDoc& c : doc.commands)
        if (!c.hidden)
            for (const std::string& n : names_of(c)) out << "        '" << n << ":" << zsh_help(c.summary) << "'\n";
    out << "    )\n"
        << "    _arguments -C \\\n";
    std::ostringstream specs;
    zsh_specs(specs, doc, top, "        ");
    std::string line;
    std::istringstream sin(specs.str());
    while (std::getline(sin, line)) out << line << " \\\n";
    if (doc.commands.empty()) {
        out << "        && return 0\n}\n\n";
    } else {
        out << "        '1: :->command' '*:: :->args' && return 0\n"
            << "    case $state in\n"
            << "        command) _describe -t commands '" << doc.program << " command' commands ;;\n"
            << "        args)\n"
            << "            case $words[1] in\n";
        for (const CommandDoc& c : doc.commands) {
            out << "                " << join(names_of(c), "|") << ")\n"
                << "                    _arguments \\\n";
            std::ostringstream cs;
            std::vector<OptionDoc> options = all_options(c.groups);
            options.insert(options.end(), top.begin(), top.end());
            zsh_specs(cs, doc, options, "                        ");
            if (!c.arguments.empty())
                cs << "                        '1:argument:(" << join(c.arguments, " ") << ")'\n";
            std::istringstream cin(cs.str());
            while (std::getline(cin, line)) out << line << " \\\n";
            out << "                        ;;\n";
        }
        out << "            esac ;;\n"
            << "    esac\n"
            << "}\n\n";
    }
    out << fn << " \"$@\"\n";
    return out.str();
}

std::string fish_completion(const CliDoc& doc) {
    std::ostringstream out;
    out << "# fish completion for " << doc.program << ", made by `" << doc.program
        << " completion fish` from the tables its parser reads: do not edit.\n"
        << "complete -c " << doc.program << " -f\n";
    std::vector<std::string> all_names;
    for (const CommandDoc& c : doc.commands)
        for (const std::string& n : names_of(c)) all_names.push_back(n);
    for (const CommandDoc& c : doc.commands) {
        if (c.hidden) continue;
        for (const std::string& n : names_of(c))
            out << "complete -c " << doc.program << " -n " << fish_quote("not __fish_seen_subcommand_from " + join(all_names, " "))
                << " -a " << n << " -d " << fish_quote(c.summary) << "\n";
    }
    fish_options(out, doc, all_options(doc.groups), "");
    for (const CommandDoc& c : doc.commands) {
        const std::string condition = "__fish_seen_subcommand_from " + join(names_of(c), " ");
        if (!c.arguments.empty())
            out << "complete -c " << doc.program << " -n " << fish_quote(condition) << " -a "
                << fish_quote(join(c.arguments, " ")) << "\n";
        fish_options(out, doc, all_options(c.groups), condition);
    }
    return out.str();
}

std::string man_page(const CliDoc& doc) {
    std::ostringstream out;
    out << ".\\\" " << doc.program << "(1), made by `" << doc.program
        << " __man` from the same tables as --help: do not edit.\n"
        << ".TH " << upper(doc.program) << " 1 \"\" \"aks-auth " << doc.version << "\" \"User Commands\"\n"
        << ".SH NAME\n"
        << doc.program << " \\- " << roff(doc.summary) << "\n"
        << ".SH SYNOPSIS\n"
        << ".B " << roff(doc.program) << "\n" << roff(doc.synopsis) << "\n"
        << ".SH DESCRIPTION\n";
    roff_text(out, doc.description);
    for (const OptionGroup& g : doc.groups) {
        out << ".SH " << upper(g.title.empty() ? "options" : g.title) << "\n";
        roff_options(out, g.options);
    }
    if (!doc.commands.empty()) out << ".SH COMMANDS\n";
    // A group several commands take (the login flags) is listed in full once;
    // later commands point back to it.
    std::vector<std::pair<std::string, std::string>> listed;  // group title → first command
    for (const CommandDoc& c : doc.commands) {
        if (c.hidden) continue;
        out << ".SS " << roff(join(names_of(c), ", ")) << "\n";
        roff_text(out, c.usage + "\n\n" + c.description);
        for (const OptionGroup& g : c.groups) {
            const auto seen = std::find_if(listed.begin(), listed.end(), [&](const auto& p) { return p.first == g.title; });
            if (seen != listed.end() && g.title != "Flags") {
                out << ".PP\n" << roff(g.title) << ": as for " << roff(seen->second) << ".\n";
                continue;
            }
            listed.emplace_back(g.title, c.name);
            out << ".PP\n" << roff(g.title) << ":\n";
            roff_options(out, g.options);
        }
    }
    for (const ManSection& s : doc.man_sections) {
        out << ".SH " << roff(upper(s.title)) << "\n";
        roff_text(out, s.text);
    }
    return out.str();
}

std::string completion_script(const CliDoc& doc, const std::string& shell) {
    if (shell == "bash") return bash_completion(doc);
    if (shell == "zsh") return zsh_completion(doc);
    if (shell == "fish") return fish_completion(doc);
    throw UsageError("completion takes bash, zsh or fish, not '" + shell + "'");
}

}  // namespace aks
