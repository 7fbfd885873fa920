#include "kubeconfig/yaml_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "core/errors.h"
#include "kubeconfig_test_util.h"

using namespace aks::kubeconfig;
using kctest::read_file;
using kctest::TempDir;
using kctest::write_file;

TEST_CASE("YAML 1.1 non-strings are quoted") {
    for (const char* s : {"", "y", "Y", "n", "yes", "No", "ON", "off", "true", "False", "null", "~", "123", "0755",
                          "1e3", "-1", ".5", "+12", "1_000", "0b101", "3.14", "6.", "190:20:30", "2024-1-2T10:00:00Z", "0x1F", "12:30", "2024-01-01", ".inf", "-.Inf", ".NaN", "<<", "="}) {
        CAPTURE(s);
        CHECK(needs_quotes_yaml11(s));
    }
    for (const char* s : {"get-token", "--login", "devicecode", "aks-token", "yess", "https://x:443", "IfAvailable",
                          "6dae42f8-4368-4678-94ff-3960e28e3630", "72f988bf-86f1-41af-91ab-2d7cd011db47", "1.32-aks",
                          "0xZZ", "v1"}) {
        CAPTURE(s);
        CHECK_FALSE(needs_quotes_yaml11(s));
    }
}

TEST_CASE("emit_yaml keeps quoted strings strings and plain scalars plain") {
    const std::string in = "a: \"123\"\nb: 123\nc: 'y'\nd: on\ne: [\"no\", x]\nf: \"\"\ng: ~\n";
    YAML::Node n = parse_yaml(in, "/k");
    n["new"] = "off";
    const std::string out = emit_yaml(n);
    CHECK(out.find("a: \"123\"") != std::string::npos);
    CHECK(out.find("b: 123") != std::string::npos);
    CHECK(out.find("c: \"y\"") != std::string::npos);
    CHECK(out.find("d: on") != std::string::npos);
    CHECK(out.find("- \"no\"") != std::string::npos);
    CHECK(out.find("f: \"\"") != std::string::npos);
    CHECK(out.find("new: \"off\"") != std::string::npos);
    // Round trip: the same tree.
    CHECK(emit_yaml(parse_yaml(out, "/k")) == out);
}

TEST_CASE("replace_file keeps a .bak and the mode, and fails without touching a read-only file") {
    TempDir t;
    const std::string path = t.path + "/config";
    write_file(path, "old: 1\n");
    REQUIRE(::chmod(path.c_str(), 0640) == 0);
    replace_file(path, "new: 2\n", true);
    CHECK(read_file(path) == "new: 2\n");
    CHECK(read_file(path + ".bak") == "old: 1\n");
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0640);
    REQUIRE(::stat((path + ".bak").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);

    // Through a symlink the target is replaced and the link stays.
    const std::string link = t.path + "/link";
    REQUIRE(::symlink(path.c_str(), link.c_str()) == 0);
    replace_file(link, "via: link\n", false);
    CHECK(read_file(path) == "via: link\n");
    REQUIRE(::lstat(link.c_str(), &st) == 0);
    CHECK(S_ISLNK(st.st_mode));

    CHECK_THROWS_AS(replace_file(t.path + "/missing", "x", true), aks::UsageError);
    if (::geteuid() != 0) {  // root may write anything
        REQUIRE(::chmod(path.c_str(), 0440) == 0);
        CHECK_THROWS_WITH(replace_file(path, "x", true), Catch::Contains(path));
        CHECK(read_file(path) == "via: link\n");
    }
}

TEST_CASE("write_private_file creates a 0600 file") {
    TempDir t;
    write_private_file(t.path + "/p", "a: b\n");
    struct stat st {};
    REQUIRE(::stat((t.path + "/p").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
    CHECK(read_file(t.path + "/p") == "a: b\n");
}
