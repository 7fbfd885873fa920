#include <catch2/catch.hpp>

#include "core/errors.h"
#include "local-proxy/proxy_options.h"

using aks::proxy::parse_proxy_options;

TEST_CASE("proxy options: kubectl proxy's defaults", "[proxy_options]") {
    const auto o = parse_proxy_options({});
    CHECK(o.address == "127.0.0.1");
    CHECK(o.port == 8001);
    CHECK(o.context.empty());
    CHECK_FALSE(o.kubeconfig);
    CHECK(o.filter.accept_hosts == "^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$");
    CHECK(o.filter.reject_paths == "^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach");
    CHECK(o.login_args.empty());
    CHECK_FALSE(o.quiet);
}

TEST_CASE("proxy options: flags in both spellings", "[proxy_options]") {
    const auto o = parse_proxy_options({"--context", "prod", "--kubeconfig=/k", "-p", "0", "--address", "::1",
                                        "--reject-paths=^$", "--threads", "4", "--quiet", "-v", "3"});
    CHECK(o.context == "prod");
    CHECK(*o.kubeconfig == "/k");
    CHECK(o.port == 0);
    CHECK(o.address == "::1");
    CHECK(o.filter.reject_paths == "^$");
    CHECK(o.threads == 4);
    CHECK(o.quiet);
    CHECK(o.verbosity == 3);
    CHECK(parse_proxy_options({"--v=2"}).verbosity == 2);
    CHECK(parse_proxy_options({"-v"}).verbosity == 1);
    CHECK(parse_proxy_options({"--unix-socket", "/tmp/s"}).unix_socket == "/tmp/s");
}

TEST_CASE("proxy options: kubelogin login flags are kept for the identity", "[proxy_options]") {
    const auto o = parse_proxy_options({"--login", "devicecode", "-t", "tenant", "--cache-dir", "/c", "--port", "9"});
    CHECK(o.login_args == std::vector<std::string>{"--login=devicecode", "--tenant-id=tenant"});
    CHECK(o.cache_dir == "/c");
    CHECK(o.port == 9);
}

TEST_CASE("proxy options: bad input is one UsageError", "[proxy_options]") {
    CHECK_THROWS_AS(parse_proxy_options({"--port", "70000"}), aks::UsageError);
    CHECK_THROWS_AS(parse_proxy_options({"--port"}), aks::UsageError);
    CHECK_THROWS_AS(parse_proxy_options({"--bogus"}), aks::UsageError);
    CHECK_THROWS_AS(parse_proxy_options({"stray"}), aks::UsageError);
    CHECK_THROWS_AS(parse_proxy_options({"--quiet=yes"}), aks::UsageError);
    CHECK_THROWS_AS(parse_proxy_options({"--threads", "0"}), aks::UsageError);
    CHECK_THROWS_AS(parse_proxy_options({"--unix-socket", "/s", "--port", "1"}), aks::UsageError);
    CHECK_THROWS_AS(parse_proxy_options({"--pop-enabled"}), aks::UsageError);
}
