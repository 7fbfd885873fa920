#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "core/errors.h"
#include "local-proxy/proxy_options.h"
#include "local-proxy/request_filter.h"

using aks::proxy::parse_proxy_options;

TEST_CASE("proxy options: kubectl proxy's defaults", "[proxy_options]") {
    const auto o = parse_proxy_options({});
    CHECK(o.address == "127.0.0.1");
    CHECK(o.port == 8001);
    CHECK(o.context.empty());
    CHECK_FALSE(o.kubeconfig);
    CHECK(o.filter.accept_hosts == "^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$");
    // kubectl proxy's, plus the kubelet's run/exec/attach through nodes/proxy (finding F4).
    CHECK(o.filter.reject_paths ==
          "^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach,^/api/v1/nodes/[^/]+/proxy/(run|exec|attach)(/|$)");
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

TEST_CASE("proxy options: --help is aks-proxy's, not a login flag", "[proxy_options]") {
    // The login flag table once had -h/--help, so aks-proxy --help tried to
    // start a proxy for the current context instead of printing its help.
    CHECK(parse_proxy_options({"--help"}).help);
    CHECK(parse_proxy_options({"-h"}).help);
    CHECK(parse_proxy_options({"--help"}).login_args.empty());
    // The deprecated --token-cache-dir is --cache-dir here too.
    CHECK(parse_proxy_options({"--token-cache-dir", "/c"}).cache_dir == "/c");
    // The help lists the login flags from the same table as aks-token's.
    const std::string usage = aks::proxy::proxy_usage();
    // --help shows every expression of the default --reject-paths.
    const std::string rejects = aks::proxy::kDefaultRejectPaths;
    for (std::size_t at = 0; at < rejects.size();) {
        const std::size_t comma = std::min(rejects.find(',', at), rejects.size());
        CHECK(usage.find(rejects.substr(at, comma - at)) != std::string::npos);
        at = comma + 1;
    }
    CHECK(usage.find("-s/--subscription") != std::string::npos);
    CHECK(usage.find("--pop-enabled") == std::string::npos);
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

TEST_CASE("Headlamp mode: --upstream defaults the port to 8000", "[proxy_options]") {
    auto o = parse_proxy_options({"--upstream", "http://127.0.0.1:8080", "--no-browser"});
    CHECK(o.upstream == "http://127.0.0.1:8080");
    CHECK(o.port == 8000);
    CHECK(o.no_browser);
    CHECK(o.headlamp_cluster == "main");
    o = parse_proxy_options({"--upstream=https://headlamp.example/base", "-p", "9000", "--headlamp-cluster", "c1"});
    CHECK(o.port == 9000);
    CHECK(o.headlamp_cluster == "c1");
    CHECK(parse_proxy_options({}).port == 8001);
    CHECK_THROWS_AS(parse_proxy_options({"--upstream", "http://x", "--unix-socket", "/s"}), aks::UsageError);
    CHECK_THROWS_AS(parse_proxy_options({"--upstream", "http://x", "--headlamp-cluster", "a;b"}), aks::UsageError);
    CHECK_THROWS_AS(parse_proxy_options({"--no-browser=1"}), aks::UsageError);
}

TEST_CASE("Headlamp mode through the service proxy: --headlamp-service NS/NAME[:PORT]", "[proxy_options]") {
    auto o = parse_proxy_options({"--headlamp-service", "headlamp/headlamp"});
    CHECK(o.headlamp_service == "headlamp/headlamp:http");
    CHECK(o.port == 8000);
    o = parse_proxy_options({"--headlamp-service=kube-system/hl:8080"});
    CHECK(o.headlamp_service == "kube-system/hl:8080");
    for (const char* bad : {"headlamp", "/x", "a/", "a/b/c", "A/b", "a/b:", "a/b:c/d", "a b/c"})
        CHECK_THROWS_AS(parse_proxy_options({"--headlamp-service", bad}), aks::UsageError);
    CHECK_THROWS_AS(parse_proxy_options({"--headlamp-service", "a/b", "--upstream", "http://x"}), aks::UsageError);
}

TEST_CASE("proxy options: --max-connections", "[proxy_options]") {
    CHECK(parse_proxy_options({}).max_connections == 0);  // the default, decided at start-up
    CHECK(parse_proxy_options({"--max-connections", "50"}).max_connections == 50);
    CHECK_THROWS_AS(parse_proxy_options({"--max-connections", "0"}), aks::UsageError);
    CHECK_THROWS_AS(parse_proxy_options({"--max-connections=many"}), aks::UsageError);
}

TEST_CASE("proxy options: cleartext --upstream only to this machine", "[proxy_options]") {
    for (const char* ok : {"http://127.0.0.1:8080", "http://localhost:4466/base", "http://[::1]:80",
                           "http://127.8.9.10", "https://headlamp.example.com"})
        CHECK_NOTHROW(parse_proxy_options({"--upstream", ok}));
    for (const char* bad : {"http://headlamp.example.com", "http://10.0.0.5:8080", "http://[fd00::1]:80",
                            "http://localhost.evil.example"}) {
        INFO(bad);
        try {
            parse_proxy_options({"--upstream", bad});
            FAIL("accepted " << bad);
        } catch (const aks::UsageError& e) {
            CHECK(std::string(e.what()).find("cleartext") != std::string::npos);
            CHECK(std::string(e.what()).find("--allow-insecure-upstream") != std::string::npos);
        }
        CHECK(parse_proxy_options({"--upstream", bad, "--allow-insecure-upstream"}).allow_insecure_upstream);
    }
    CHECK(aks::proxy::cleartext_upstream_host("http://10.0.0.5:8080") == "10.0.0.5");
    CHECK(aks::proxy::cleartext_upstream_host("https://10.0.0.5") == "");
}

TEST_CASE("proxy options: errors never echo a mistyped secret flag's value", "[proxy_options]") {
    try {
        parse_proxy_options({"--clientsecret=Sup3r-S3cret-Value"});
        FAIL("accepted");
    } catch (const aks::UsageError& e) {
        CHECK(std::string(e.what()) == "unknown flag --clientsecret");
    }
}
