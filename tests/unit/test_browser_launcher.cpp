#include "core/browser_launcher.h"

#include <catch2/catch.hpp>
#include <map>

#include "tests/unit/env_map.h"

namespace {

using aks_test::env_of;

using Cmds = std::vector<std::vector<std::string>>;

}  // namespace

TEST_CASE("browser launcher: BROWSER first, then xdg-open with a display, wslview on WSL", "[browser_launcher]") {
    const std::string u = "https://idp/authorize?x=1";
    CHECK(aks::browser_commands(u, env_of({})).empty());
    CHECK(aks::browser_commands(u, env_of({{"BROWSER", "firefox --new-tab"}})) == Cmds{{"firefox", "--new-tab", u}});
    CHECK(aks::browser_commands(u, env_of({{"BROWSER", "lynx '%s':w3m"}})) == Cmds{{"lynx", u}, {"w3m", u}});
    // Quotes group words as a shell would, and are not passed on.
    CHECK(aks::browser_commands(u, env_of({{"BROWSER", "\"/opt/My Browser/run\" --url=\"%s\""}})) ==
          Cmds{{"/opt/My Browser/run", "--url=" + u}});
    CHECK(aks::browser_commands(u, env_of({{"DISPLAY", ":0"}})) == Cmds{{"xdg-open", u}});
    CHECK(aks::browser_commands(u, env_of({{"BROWSER", "b"}, {"WAYLAND_DISPLAY", "w"}, {"WSL_DISTRO_NAME", "d"}})) ==
          Cmds{{"b", u}, {"xdg-open", u}, {"wslview", u}});
}

TEST_CASE("browser launcher: reports whether a program started", "[browser_launcher]") {
    CHECK_FALSE(aks::system_browser(env_of({{"BROWSER", "aks-no-such-browser-here"}}))("http://x"));
    CHECK(aks::system_browser(env_of({{"BROWSER", "aks-no-such-browser-here:true"}}))("http://x"));
    CHECK_FALSE(aks::system_browser(env_of({}))("http://x"));
}
