#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "env_map.h"
#include "local-proxy/launch_file.h"
#include "temp_dir.h"

using aks::proxy::LaunchFile;
using aks::proxy::launch_file_html;
using aks_test::env_of;
using aks_test::TempDir;

namespace {

std::string read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

mode_t mode_of(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

const std::string kUrl = "http://127.9.8.7:8000/.aks-proxy/launch?secret=abc_DEF-123";

}  // namespace

TEST_CASE("the launch file forwards to the launch URL and keeps the Referer empty", "[launch_file]") {
    const std::string html = launch_file_html(kUrl);
    CHECK(html.find("<meta http-equiv=\"refresh\" content=\"0;url=" + kUrl + "\">") != std::string::npos);
    CHECK(html.find("<meta name=\"referrer\" content=\"no-referrer\">") != std::string::npos);
    CHECK(launch_file_html("http://h/?a=1&b=\"2\"").find("a=1&amp;b=&quot;2&quot;") != std::string::npos);
}

TEST_CASE("in a private XDG_RUNTIME_DIR: a 0600 file, removed once (also by the destructor)", "[launch_file]") {
    TempDir runtime;
    auto f = LaunchFile::create(kUrl, env_of({{"XDG_RUNTIME_DIR", runtime.path}}));
    REQUIRE(f);
    CHECK(f->path().rfind(runtime.path + "/aks-proxy-launch-", 0) == 0);
    CHECK(f->path().size() > 5);
    CHECK(f->path().substr(f->path().size() - 5) == ".html");
    CHECK(mode_of(f->path()) == 0600);
    CHECK(read(f->path()) == launch_file_html(kUrl));
    CHECK(f->url() == "file://" + f->path());
    const std::string path = f->path();
    f->remove();
    CHECK_FALSE(exists(path));
    f->remove();  // again: nothing happens
    CHECK(exists(runtime.path));  // not ours to remove

    auto g = LaunchFile::create(kUrl, env_of({{"XDG_RUNTIME_DIR", runtime.path}}));
    const std::string gpath = g->path();
    g.reset();
    CHECK_FALSE(exists(gpath));
}

TEST_CASE("without a private runtime directory: a new 0700 directory under TMPDIR, removed with the file",
          "[launch_file]") {
    TempDir tmp, shared;
    REQUIRE(::chmod(shared.path.c_str(), 0755) == 0);  // not 0700: not used
    auto f = LaunchFile::create(kUrl, env_of({{"XDG_RUNTIME_DIR", shared.path}, {"TMPDIR", tmp.path}}));
    REQUIRE(f);
    const std::string dir = f->path().substr(0, f->path().rfind('/'));
    CHECK(dir.rfind(tmp.path + "/aks-proxy-", 0) == 0);
    CHECK(mode_of(dir) == 0700);
    CHECK(mode_of(f->path()) == 0600);
    f->remove();
    CHECK_FALSE(exists(dir));
}

TEST_CASE("a path that needs escaping becomes a percent-encoded file URL", "[launch_file]") {
    TempDir tmp;
    const std::string odd = tmp.path + "/run dir#1";
    REQUIRE(::mkdir(odd.c_str(), 0700) == 0);
    auto f = LaunchFile::create(kUrl, env_of({{"XDG_RUNTIME_DIR", odd}}));
    CHECK(f->url().find("/run%20dir%231/aks-proxy-launch-") != std::string::npos);
}

TEST_CASE("an unusable directory is one clear error", "[launch_file]") {
    CHECK_THROWS_WITH(LaunchFile::create(kUrl, env_of({{"TMPDIR", "/nonexistent/aks"}})),
                      Catch::Contains("cannot create a private directory in /nonexistent/aks"));
}
