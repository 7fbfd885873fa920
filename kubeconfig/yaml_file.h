#pragma once
// Reading, parsing, emitting and atomically replacing kubeconfig YAML files.
// The emitter writes for kubectl's YAML 1.1 reader: a string that such a
// reader would take for a bool, null or number (y, no, on, 0755, 1e3...) is
// quoted, unless it was plain in the source (then it means what it meant).
#include <string>

#include <yaml-cpp/yaml.h>

namespace aks::kubeconfig {

// The whole file; UsageError naming the file when it cannot be read.
std::string read_text_file(const std::string& path);

// YAML text → tree; UsageError "kubeconfig FILE: line N: problem" when malformed.
YAML::Node parse_yaml(const std::string& text, const std::string& path);

// True when a YAML 1.1 reader would not read `s`, written plain, as that string.
bool needs_quotes_yaml11(const std::string& s);

// Block-style YAML text of a tree, ending in a newline.
std::string emit_yaml(const YAML::Node& root);

// Replaces `path` with `text` atomically (temp file in the same directory,
// fsync, rename), keeping the file's mode; first copies the old content to
// `path + ".bak"` (mode 0600) when `backup`. UsageError naming the file on failure;
// the original file is untouched then.
void replace_file(const std::string& path, const std::string& text, bool backup);

// Writes a new file (or replaces one) with mode 0600, atomically.
void write_private_file(const std::string& path, const std::string& text);

}  // namespace aks::kubeconfig
