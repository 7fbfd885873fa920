#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include "local-proxy/launch_host.h"
#include "local-proxy/request_filter.h"

using namespace aks::proxy;

TEST_CASE("Headlamp mode's own loopback address: 127.a.b.c, never 127.0.0.x, new each run", "[launch_host]") {
    std::set<std::string> seen;
    const std::regex shape(R"(127\.(\d+)\.(\d+)\.(\d+))");
    for (int i = 0; i < 200; ++i) {
        const std::string a = random_loopback_address();
        std::smatch m;
        REQUIRE(std::regex_match(a, m, shape));
        const int x = std::stoi(m[1]), y = std::stoi(m[2]), z = std::stoi(m[3]);
        CHECK((x <= 255 && y <= 255 && z >= 1 && z <= 254));
        CHECK_FALSE((x == 0 && y == 0));
        seen.insert(a);
    }
    CHECK(seen.size() > 150);
}

TEST_CASE("the default host filter also accepts that address; a user's filter is left alone", "[launch_host]") {
    const std::string hosts = accept_hosts_for(kDefaultAcceptHosts, "127.3.40.5");
    CHECK(hosts == std::string(kDefaultAcceptHosts) + ",^127\\.3\\.40\\.5$");
    FilterSpec spec;
    spec.accept_hosts = hosts;
    const RequestFilter f(spec);
    CHECK(f.host_accepted("127.3.40.5"));
    CHECK_FALSE(f.host_accepted("127.3.40.55"));
    CHECK_FALSE(f.host_accepted("127x3x40x5"));
    CHECK(accept_hosts_for("^example\\.com$", "127.3.40.5") == "^example\\.com$");
}
