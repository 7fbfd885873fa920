// core/cli_doc: completions and man pages made from a CliDoc, and the promise
// behind them: every flag the parsers of aks-token and aks-proxy take appears
// in --help, in the man page and in each shell's completion script.
#include <catch2/catch.hpp>

#include "core/cli_doc.h"
#include "core/errors.h"
#include "core/login_flags.h"
#include "credential-plugin/command_table.h"
#include "credential-plugin/usage.h"
#include "local-proxy/proxy_doc.h"
#include "local-proxy/proxy_options.h"

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// How a flag is spelled in each output: roff escapes '-' as "\-"; fish names
// it with -l NAME.
std::string roff_name(const std::string& name) {
    std::string out;
    for (char c : name) out += c == '-' ? std::string("\\-") : std::string(1, c);
    return out;
}
std::string in_man(const std::string& name) { return "\\-\\-" + roff_name(name); }

aks::CliDoc tiny() {
    aks::CliDoc d;
    d.program = "tool";
    d.version = "1.2.3";
    d.summary = "does things";
    d.synopsis = "COMMAND";
    d.description = "First paragraph.\n\n  preformatted -x line\n.dot at start\n";
    d.groups = {{"Global flags", {{"verbose", 'v', "", "more output", aks::ValueHint::None, {}}}}};
    aks::CommandDoc run;
    run.name = "run";
    run.aliases = {"go"};
    run.summary = "run it: now [fast]";
    run.usage = "Usage: tool run";
    run.description = "Runs.\n";
    run.groups = {{"Flags",
                   {{"mode", 'm', "MODE", "how's it done", aks::ValueHint::Choice, {"fast", "slow"}},
                    {"config", 0, "FILE", "config file", aks::ValueHint::File, {}},
                    {"name", 0, "NAME", "free text", aks::ValueHint::Text, {}},
                    {"context", 0, "NAME", "a context", aks::ValueHint::Context, {}}}}};
    run.arguments = {"alpha", "beta"};
    d.commands = {run};
    return d;
}

}  // namespace

TEST_CASE("bash completion: commands, flags, values by kind", "[cli_doc]") {
    const std::string s = aks::bash_completion(tiny());
    CHECK(contains(s, "complete -F _tool tool\n"));
    CHECK(contains(s, "args=\"run go\"\n            opts=\"--verbose -v\""));
    CHECK(contains(s, "run|go)"));
    CHECK(contains(s, "-m|--mode) COMPREPLY=($(compgen -W \"fast slow\" -- \"$cur\")); return 0 ;;"));
    CHECK(contains(s, "--config) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\"))"));
    CHECK(contains(s, "--name) return 0 ;;"));
    CHECK(contains(s, "tool __contexts \\\"${kubeconfig[@]}\\\"") == false);  // quoted inside $( )
    CHECK(contains(s, "$(tool __contexts \"${kubeconfig[@]}\" 2>/dev/null)"));
    CHECK(contains(s, "args=\"alpha beta\"\n            opts=\"--mode -m --config --name --context --verbose -v\""));
}

TEST_CASE("zsh and fish completion quote help text", "[cli_doc]") {
    const std::string z = aks::zsh_completion(tiny());
    CHECK(z.rfind("#compdef tool\n", 0) == 0);
    CHECK(contains(z, "'run:run it\\: now \\[fast\\]'"));
    CHECK(contains(z, "'--mode=[how'\\''s it done]:MODE:(fast slow)'"));
    CHECK(contains(z, "'-m+[how'\\''s it done]:MODE:(fast slow)'"));
    CHECK(contains(z, "':NAME:_tool_contexts'") == false);
    CHECK(contains(z, "'--context=[a context]:NAME:_tool_contexts'"));
    CHECK(contains(z, "'1:argument:(alpha beta)'"));
    const std::string f = aks::fish_completion(tiny());
    CHECK(contains(f, "complete -c tool -n '__fish_seen_subcommand_from run go' -s m -l mode -x -a 'fast slow' "
                      "-d 'how\\'s it done'"));
    CHECK(contains(f, "-l config -r -F -d 'config file'"));
    CHECK(contains(f, "-l context -x -a '(tool __contexts 2>/dev/null)'"));
    CHECK(contains(f, "complete -c tool -n '__fish_seen_subcommand_from run go' -a 'alpha beta'"));
}

TEST_CASE("man page: roff escapes, preformatted blocks, sections", "[cli_doc]") {
    const std::string m = aks::man_page(tiny());
    CHECK(contains(m, ".TH TOOL 1 \"\" \"aks-auth 1.2.3\" \"User Commands\"\n"));
    CHECK(contains(m, ".SH NAME\ntool \\- does things\n"));
    CHECK(contains(m, ".in +4n\n.nf\npreformatted \\-x line\n.fi\n"));
    CHECK(contains(m, "\\&.dot at start\n"));  // a leading '.' would be a roff request
    CHECK(contains(m, ".SS run, go\n"));
    CHECK(contains(m, "\\fB\\-m\\fR, \\fB\\-\\-mode\\fR \\fIMODE\\fR\n"));
    CHECK_THROWS_AS(aks::completion_script(tiny(), "tcsh"), aks::UsageError);
}

TEST_CASE("option groups are aligned as --help prints them", "[cli_doc]") {
    const aks::OptionGroup g{"Flags", {{"force", 0, "", "again", aks::ValueHint::None, {}},
                                        {"output", 'o', "FILE", "where", aks::ValueHint::File, {}}}};
    CHECK(aks::format_option_group(g) == "Flags:\n  --force             again\n  -o, --output FILE   where\n");
}

TEST_CASE("every aks-token flag is in --help, the man page and every completion", "[cli_doc]") {
    const aks::CliDoc doc = aks::aks_token_doc();
    const std::string man = aks::man_page(doc);
    const std::string bash = aks::bash_completion(doc), zsh = aks::zsh_completion(doc),
                      fish = aks::fish_completion(doc);
    std::size_t checked = 0;
    for (const aks::CommandDoc& c : doc.commands) {
        if (c.hidden) continue;
        const std::string help = aks::command_usage(c.name);
        CHECK(contains(aks::main_usage(), "  " + c.name));
        CHECK(contains(man, ".SS " + roff_name(c.name)));
        CHECK(contains(bash, c.name));
        CHECK(contains(fish, "-a " + c.name + " "));
        for (const aks::OptionDoc& o : aks::all_options(c.groups)) {
            INFO(c.name << " --" << o.name);
            CHECK(contains(help, "--" + o.name));
            CHECK(contains(man, in_man(o.name)));
            CHECK(contains(bash, "--" + o.name));
            CHECK(contains(zsh, "'--" + o.name));
            CHECK(contains(fish, "-l " + o.name));
            ++checked;
        }
    }
    // Every accepted login flag of the table reaches them too.
    for (const aks::LoginFlagSpec& f : aks::login_flag_table()) {
        if (f.support == aks::Support::Refused) continue;
        INFO("--" << f.name);
        CHECK(contains(man, in_man(f.name)));
        CHECK(contains(bash, std::string("--") + f.name));
        CHECK(contains(fish, std::string("-l ") + f.name));
    }
    CHECK(checked > 100);
}

TEST_CASE("every aks-proxy flag is in --help, the man page and every completion", "[cli_doc]") {
    const aks::CliDoc doc = aks::proxy::proxy_cli_doc();
    const std::string man = aks::man_page(doc), help = aks::proxy::proxy_usage();
    const std::string bash = aks::bash_completion(doc), zsh = aks::zsh_completion(doc),
                      fish = aks::fish_completion(doc);
    for (const aks::OptionDoc& o : aks::proxy::proxy_option_docs()) {
        INFO("--" << o.name);
        // -v is the one flag help spells with a single dash.
        CHECK(contains(help, (o.name.size() == 1 ? "-" : "--") + o.name));
        CHECK(contains(man, in_man(o.name)));
        CHECK(contains(bash, "--" + o.name));
        CHECK(contains(zsh, "'--" + o.name));
        CHECK(contains(fish, "-l " + o.name));
    }
}
