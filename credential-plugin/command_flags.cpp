#include "credential-plugin/command_flags.h"

namespace aks::flags {
namespace {

OptionDoc value(const char* name, char short_name, const char* value_name, const char* help, ValueHint hint,
                std::vector<std::string> choices = {}) {
    return OptionDoc{name, short_name, value_name, help, hint, std::move(choices)};
}
OptionDoc boolean(const char* name, char short_name, const char* help) {
    return OptionDoc{name, short_name, "", help, ValueHint::None, {}};
}

}  // namespace

const OptionDoc& context() {
    static const OptionDoc d = value("context", 0, "NAME",
                                     "use the login settings of this kubeconfig context's exec entry (the same cache "
                                     "entry kubectl and aks-proxy use for it)",
                                     ValueHint::Context);
    return d;
}
const OptionDoc& kubeconfig() {
    static const OptionDoc d = value("kubeconfig", 0, "FILE",
                                     "the kubeconfig (default: $KUBECONFIG, else ~/.kube/config); alone, it means "
                                     "the file's current-context",
                                     ValueHint::File);
    return d;
}
const OptionDoc& force() {
    static const OptionDoc d = boolean("force", 0, "sign in again even when a usable token is cached");
    return d;
}
const OptionDoc& all() {
    static const OptionDoc d = boolean("all", 0, "remove every entry of the cache directory");
    return d;
}
const OptionDoc& status_output() {
    static const OptionDoc d = value("output", 'o', "text|json", "output format (default text)", ValueHint::Choice,
                                     {"text", "json"});
    return d;
}
const OptionDoc& convert_context() {
    static const OptionDoc d = value("context", 0, "NAME", "convert only this context's user", ValueHint::Context);
    return d;
}
const OptionDoc& convert_command() {
    static const OptionDoc d = value("command", 0, "PATH",
                                     "the program kubectl runs (default aks-token, found on PATH)", ValueHint::File);
    return d;
}
const OptionDoc& dry_run() {
    static const OptionDoc d = boolean("dry-run", 0, "print the converted file(s) on stdout; write nothing");
    return d;
}
const OptionDoc& proxy() {
    static const OptionDoc d =
        value("proxy", 0, "URL", "the aks-proxy address (http or https), e.g. http://127.0.0.1:8001", ValueHint::Text);
    return d;
}
const OptionDoc& kubeconfig_context() {
    static const OptionDoc d =
        value("context", 0, "NAME", "the context to write (default: the current one)", ValueHint::Context);
    return d;
}
const OptionDoc& kubeconfig_output() {
    static const OptionDoc d =
        value("output", 'o', "FILE", "write to FILE (mode 0600) instead of stdout", ValueHint::File);
    return d;
}
const OptionDoc& verbosity() {
    static const OptionDoc d =
        value("v", 'v', "N", "diagnostics on stderr when N > 0 (token fingerprints only, never tokens)",
              ValueHint::Choice, {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"});
    return d;
}
const OptionDoc& help() {
    static const OptionDoc d = boolean("help", 'h', "this help");
    return d;
}
const OptionDoc& version() {
    static const OptionDoc d = boolean("version", 0, "print the version");
    return d;
}

}  // namespace aks::flags
