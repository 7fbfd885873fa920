#include "local-proxy/launch_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "core/html_escape.h"
#include "core/unique_fd.h"
#include "core/url.h"

namespace aks::proxy {
namespace {

bool private_dir(const std::string& dir) {
    struct stat st {};
    return ::lstat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::geteuid() &&
           (st.st_mode & 0777) == 0700;
}

void write_all(int fd, const std::string& data, const std::string& path) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace

std::string launch_file_html(const std::string& launch_url) {
    const std::string u = html_escape(launch_url);
    return "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\">"
           "<meta http-equiv=\"refresh\" content=\"0;url=" + u + "\"><title>aks-proxy</title></head><body>"
           "<p><a href=\"" + u + "\">Open Headlamp through aks-proxy</a></p></body></html>\n";
}

std::unique_ptr<LaunchFile> LaunchFile::create(const std::string& launch_url, const EnvLookup& env) {
    std::string dir, own_dir;
    const std::string runtime = env ? env("XDG_RUNTIME_DIR").value_or("") : "";
    if (!runtime.empty() && private_dir(runtime)) {
        dir = runtime;
    } else {
        std::string tmp = env ? env("TMPDIR").value_or("") : "";
        if (tmp.empty()) tmp = "/tmp";
        std::vector<char> tmpl(tmp.begin(), tmp.end());
        const std::string suffix = "/aks-proxy-XXXXXX";
        tmpl.insert(tmpl.end(), suffix.begin(), suffix.end());
        tmpl.push_back('\0');
        if (!::mkdtemp(tmpl.data()))  // mode 0700
            throw std::runtime_error("cannot create a private directory in " + tmp + ": " + std::strerror(errno));
        dir = own_dir = tmpl.data();
    }
    std::vector<char> name;
    const std::string pattern = dir + "/aks-proxy-launch-XXXXXX.html";
    name.assign(pattern.begin(), pattern.end());
    name.push_back('\0');
    const mode_t old_mask = ::umask(077);
    UniqueFd fd(::mkstemps(name.data(), 5));  // O_EXCL, mode 0600
    const int err = errno;
    ::umask(old_mask);
    if (!fd) {
        if (!own_dir.empty()) ::rmdir(own_dir.c_str());
        throw std::runtime_error("cannot create a file in " + dir + ": " + std::strerror(err));
    }
    std::unique_ptr<LaunchFile> file(new LaunchFile(name.data(), own_dir));
    write_all(fd.get(), launch_file_html(launch_url), file->path_);
    return file;
}

LaunchFile::~LaunchFile() { remove(); }

void LaunchFile::remove() {
    std::lock_guard<std::mutex> lock(mu_);
    if (removed_) return;
    removed_ = true;
    ::unlink(path_.c_str());
    if (!own_dir_.empty()) ::rmdir(own_dir_.c_str());
}

std::string LaunchFile::url() const {
    std::string out = "file://";
    std::size_t at = 0;
    while (at < path_.size()) {
        const std::size_t slash = path_.find('/', at);
        const std::size_t end = slash == std::string::npos ? path_.size() : slash;
        out += percent_encode(path_.substr(at, end - at));
        if (slash != std::string::npos) out += '/';
        at = end + 1;
    }
    return out;
}

}  // namespace aks::proxy
