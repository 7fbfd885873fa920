#pragma once
// A program's command line as data — its subcommands and flags with help
// text and what their values are — and what is made from it: shell
// completions (bash, zsh, fish) and a man page. Each program builds its
// CliDoc from the same tables its parser reads (aks-token: the command table
// and core/login_flags; aks-proxy: its flag table), so `--help`, the man page
// and the completions cannot drift from what the program accepts.
#include <string>
#include <vector>

namespace aks {

// What a flag's value is, for completion.
enum class ValueHint {
    None,     // a boolean flag: no value
    Text,     // free text: nothing to offer
    File,     // a path to a file
    Dir,      // a path to a directory
    Context,  // a kubeconfig context name (the program's hidden `__contexts` lists them)
    Choice,   // one of `choices`
};

struct OptionDoc {
    std::string name;        // long name without dashes ("login")
    char short_name = 0;     // 'l', or 0
    std::string value_name;  // "MODE"; empty for a boolean flag
    std::string help;        // one line
    ValueHint hint = ValueHint::None;
    std::vector<std::string> choices;  // for ValueHint::Choice
};

// A titled group of flags, as help prints them ("Login flags", "Global flags").
struct OptionGroup {
    std::string title;
    std::vector<OptionDoc> options;
};

struct CommandDoc {
    std::string name;
    std::vector<std::string> aliases;
    std::string summary;      // one line, for the command list and completion descriptions
    std::string usage;        // "Usage: ..." lines
    std::string description;  // paragraphs; lines indented by two spaces are preformatted
    std::vector<OptionGroup> groups;
    std::vector<std::string> arguments;  // choices for the first argument (`completion bash|zsh|fish`)
    bool hidden = false;      // an interface for scripts (completions), not listed
};

struct ManSection {
    std::string title;  // "EXIT STATUS"
    std::string text;   // paragraphs, as CommandDoc::description
};

struct CliDoc {
    std::string program;      // "aks-token"
    std::string version;
    std::string summary;      // the man page's NAME line
    std::string synopsis;     // "aks-token COMMAND [flags]"
    std::string description;
    std::vector<OptionGroup> groups;     // flags taken before (or without) a command
    std::vector<CommandDoc> commands;    // empty: a program without subcommands
    std::vector<ManSection> man_sections;  // ENVIRONMENT, EXIT STATUS, FILES, SEE ALSO...
};

// Every flag of a command, its groups flattened.
std::vector<OptionDoc> all_options(const std::vector<OptionGroup>& groups);

// "  -l, --login MODE   help" lines, aligned, as --help prints a group.
std::string format_option_group(const OptionGroup& g);

std::string bash_completion(const CliDoc& doc);
std::string zsh_completion(const CliDoc& doc);
std::string fish_completion(const CliDoc& doc);
// A man(7) page, section 1.
std::string man_page(const CliDoc& doc);

// "bash" | "zsh" | "fish" → the script; throws UsageError for anything else.
std::string completion_script(const CliDoc& doc, const std::string& shell);

}  // namespace aks
