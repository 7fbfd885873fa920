#include "kubeconfig/yaml_file.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/errors.h"
#include "core/terminal_text.h"
#include "core/unique_fd.h"

namespace aks::kubeconfig {
namespace {

[[noreturn]] void fail_errno(const std::string& what, const std::string& path) {
    throw UsageError("cannot " + what + " " + path + ": " + std::strerror(errno));
}

// A temporary file next to the target, unlinked unless committed.
class TempFile {
public:
    TempFile(const std::string& target, mode_t mode) {
        std::string tmpl = target + ".tmp.XXXXXX";
        fd_.reset(::mkstemp(tmpl.data()));
        if (!fd_) fail_errno("create a temporary file next to", target);
        path_ = tmpl;
        if (::fchmod(fd_.get(), mode) != 0) fail_errno("set the mode of", path_);
    }
    ~TempFile() {
        if (!path_.empty()) ::unlink(path_.c_str());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    void write_all(const std::string& text) {
        const char* p = text.data();
        std::size_t left = text.size();
        while (left > 0) {
            const ssize_t n = ::write(fd_.get(), p, left);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) fail_errno("write", path_);
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        if (::fsync(fd_.get()) != 0) fail_errno("sync", path_);
    }

    void commit(const std::string& target) {
        if (::close(fd_.release()) != 0) fail_errno("write", path_);
        if (::rename(path_.c_str(), target.c_str()) != 0) fail_errno("replace", target);
        path_.clear();
        const std::string dir = target.substr(0, target.rfind('/') + 1);
        UniqueFd dfd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (dfd) ::fsync(dfd.get());  // best effort: the content is already synced
    }

private:
    UniqueFd fd_;
    std::string path_;
};

// Symlinked kubeconfigs (dotfile managers) are replaced at their target.
std::string real_path(const std::string& path) {
    char buf[PATH_MAX];
    if (::realpath(path.c_str(), buf) == nullptr) fail_errno("open", path);
    return buf;
}

void write_atomically(const std::string& path, const std::string& text, mode_t mode) {
    TempFile tmp(path, mode);
    tmp.write_all(text);
    tmp.commit(path);
}

void emit_node(YAML::Emitter& out, const YAML::Node& n) {
    switch (n.Type()) {
        case YAML::NodeType::Scalar:
            // Tag "?" marks a plain scalar in the source: it keeps meaning what it meant.
            if (n.Tag() != "?" && needs_quotes_yaml11(n.Scalar())) {
                out << YAML::DoubleQuoted << n.Scalar();
            } else {
                out << n.Scalar();
            }
            break;
        case YAML::NodeType::Sequence:
            if (n.size() == 0) out << YAML::Flow;  // [] rather than a dangling block
            out << YAML::BeginSeq;
            for (const auto& item : n) emit_node(out, item);
            out << YAML::EndSeq;
            break;
        case YAML::NodeType::Map:
            if (n.size() == 0) out << YAML::Flow;  // {}
            out << YAML::BeginMap;
            for (const auto& kv : n) {
                out << YAML::Key;
                emit_node(out, kv.first);
                out << YAML::Value;
                emit_node(out, kv.second);
            }
            out << YAML::EndMap;
            break;
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            out << YAML::Null;
            break;
    }
}

}  // namespace

std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail_errno("read kubeconfig", path);
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) fail_errno("read kubeconfig", path);
    return text.str();
}

YAML::Node parse_yaml(const std::string& text, const std::string& path) {
    try {
        return YAML::Load(text);
    } catch (const YAML::Exception& e) {
        // e.msg is yaml-cpp's reason, which may quote the offending character
        // (a newline, an escape): one clean line. e.mark is 0-based.
        throw UsageError("kubeconfig " + path + ": line " + std::to_string(e.mark.line + 1) + ": malformed YAML (" +
                         terminal_line(e.msg) + ")");
    }
}

bool needs_quotes_yaml11(const std::string& s) {
    if (s.empty()) return true;
    static const char* const kWords[] = {"y",   "Y",    "yes",  "Yes",   "YES",   "n",     "N",   "no",  "No",
                                         "NO",  "true", "True", "TRUE",  "false", "False", "FALSE", "on", "On",
                                         "ON",  "off",  "Off",  "OFF",   "null",  "Null",  "NULL", "~",  "=",
                                         "<<"};
    for (const char* w : kWords) {
        if (s == w) return true;
    }
    // go-yaml v2 (kubectl's reader): YAML 1.1 ints (binary, octal, hex,
    // sexagesimal), floats (also 1e3), .inf/.nan and timestamps.
    static const std::regex kNumberLike(
        "[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+"
        "|[-+]?([0-9][0-9_]*)?\\.[0-9._]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*"
        "|[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?"
        "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?");
    return std::regex_match(s, kNumberLike);
}

std::string emit_yaml(const YAML::Node& root) {
    YAML::Emitter out;
    out.SetIndent(2);
    emit_node(out, root);
    std::string text = out.c_str();
    if (text.empty() || text.back() != '\n') text += '\n';
    return text;
}

void replace_file(const std::string& path, const std::string& text, bool backup) {
    const std::string target = real_path(path);
    struct stat st {};
    if (::stat(target.c_str(), &st) != 0) fail_errno("open", path);
    // rename() would succeed on a read-only file in a writable directory;
    // a read-only kubeconfig is the user saying "don't touch".
    if (::access(target.c_str(), W_OK) != 0) fail_errno("write", path);
    if (backup) write_atomically(target + ".bak", read_text_file(target), 0600);
    write_atomically(target, text, st.st_mode & 07777);
}

void write_private_file(const std::string& path, const std::string& text) { write_atomically(path, text, 0600); }

}  // namespace aks::kubeconfig
