#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include "local-proxy/launch_host.h"
#include "local-proxy/request_filter.h"

using namespace aks::proxy;

TEST_CASE("Headlamp mode's own host name: aks-<16 hex>.localhost, new each run", "[launch_host]") {
    std::set<std::string> seen;
    const std::regex shape(R"(aks-[0-9a-f]{16}\.localhost)");
    for (int i = 0; i < 200; ++i) {
        const std::string h = random_launch_host();
        CHECK(std::regex_match(h, shape));
        seen.insert(h);
    }
    CHECK(seen.size() == 200);  // 64 random bits: a repeat would mean no randomness
}

TEST_CASE("the default host filter becomes that name alone; a user's filter is left alone", "[launch_host]") {
    const std::string name = "aks-0123456789abcdef.localhost";
    const std::string hosts = accept_hosts_for(kDefaultAcceptHosts, name);
    CHECK(hosts == "^aks-0123456789abcdef\\.localhost$");
    FilterSpec spec;
    spec.accept_hosts = hosts;
    const RequestFilter f(spec);
    CHECK(f.host_accepted(name));
    CHECK_FALSE(f.host_accepted("127.0.0.1"));
    CHECK_FALSE(f.host_accepted("localhost"));
    CHECK_FALSE(f.host_accepted("[::1]"));
    CHECK_FALSE(f.host_accepted("aks-0123456789abcdef.localhost.evil.example"));
    CHECK_FALSE(f.host_accepted("aks-0123456789abcdefxlocalhost"));
    CHECK_FALSE(f.host_accepted("aks-0123456789abcdee.localhost"));
    CHECK(accept_hosts_for("^example\\.com$", name) == "^example\\.com$");
}
