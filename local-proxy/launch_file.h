#pragma once
// The file aks-proxy opens the browser on, so that the launch secret is on no
// command line: xdg-open, $BROWSER and the browser itself get only
// file:///.../aks-proxy-launch-XXXXXX.html, and that file (mode 0600, in a
// directory only this user can enter) sends the browser on to the launch URL
// (as Jupyter's jpserver-*-open.html does). It is removed once the launch URL
// has been used, and when aks-proxy exits normally.
#include <memory>
#include <mutex>
#include <string>

#include "core/login_args.h"

namespace aks::proxy {

class LaunchFile {
public:
    // In $XDG_RUNTIME_DIR when it is a directory of this user with mode 0700,
    // else in a new 0700 directory under $TMPDIR (or /tmp). Throws
    // std::runtime_error (one line) when no such file can be written.
    static std::unique_ptr<LaunchFile> create(const std::string& launch_url, const EnvLookup& env);
    ~LaunchFile();
    LaunchFile(const LaunchFile&) = delete;
    LaunchFile& operator=(const LaunchFile&) = delete;

    const std::string& path() const { return path_; }
    // file:// URL of path(), percent-encoded.
    std::string url() const;
    // Removes the file (and a directory created for it); safe from any thread, more than once.
    void remove();

private:
    LaunchFile(std::string path, std::string own_dir) : path_(std::move(path)), own_dir_(std::move(own_dir)) {}
    std::string path_;
    std::string own_dir_;  // created by us: removed with the file
    std::mutex mu_;
    bool removed_ = false;
};

// The HTML that sends the browser to `launch_url` (exposed for tests).
std::string launch_file_html(const std::string& launch_url);

}  // namespace aks::proxy
