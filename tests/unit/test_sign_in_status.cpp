#include "core/sign_in_status.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "core/expiry.h"

namespace {

const std::string kRewrite = "\r\033[K";

aks::Token signed_in_token() {
    aks::Token t;
    t.access_token = "at";
    t.expires_on = 1700003600;
    t.claims.upn = "carol@contoso.example";
    t.claims.tid = "tid-1";
    return t;
}

}  // namespace

TEST_CASE("time left as minutes and seconds", "[sign_in_status]") {
    CHECK(aks::time_left(0) == "0:00");
    CHECK(aks::time_left(9) == "0:09");
    CHECK(aks::time_left(245) == "4:05");
    CHECK(aks::time_left(900) == "15:00");
    CHECK(aks::time_left(5400) == "90:00");
    CHECK(aks::time_left(-3) == "0:00");
}

TEST_CASE("the device-code status line fits the terminal or is empty", "[sign_in_status]") {
    const std::string uri = "https://microsoft.com/devicelogin";
    const std::string full = "To sign in, open " + uri + " and enter the code ABCD-EFGH (14:59 left)";
    const std::string brief = "Open " + uri + ", code ABCD-EFGH, 14:59 left";
    CHECK(aks::device_code_status("ABCD-EFGH", uri, 899, 120) == full);
    CHECK(aks::device_code_status("ABCD-EFGH", uri, 899, static_cast<int>(full.size()) + 1) == full);
    CHECK(aks::device_code_status("ABCD-EFGH", uri, 899, static_cast<int>(full.size())) == brief);
    CHECK(aks::device_code_status("ABCD-EFGH", uri, 899, 70) == brief);
    CHECK(aks::device_code_status("ABCD-EFGH", uri, 899, 40).empty());
}

TEST_CASE("signed_in_line names the user, the tenant and the expiry", "[sign_in_status]") {
    aks::Token t = signed_in_token();
    CHECK(aks::signed_in_line(t, "hint") ==
          "Signed in as carol@contoso.example (tenant tid-1); token valid until " + aks::rfc3339_utc(1700003600));
    t.claims.upn.clear();
    t.claims.tid.clear();
    t.claims.oid = "oid-7";
    CHECK(aks::signed_in_line(t, "hint").rfind("Signed in as oid-7 (tenant hint);", 0) == 0);
    t.claims.oid = "evil\033]0;title\007";
    CHECK(aks::signed_in_line(t, "hint").find('\033') == std::string::npos);
}

TEST_CASE("not a terminal: the plain lines once, nothing rewritten", "[sign_in_status]") {
    std::ostringstream out;
    aks::SignInStatus s(out);
    CHECK_FALSE(s.live());
    s.device_code("To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code "
                  "ABCD-EFGH to authenticate.",
                  "ABCD-EFGH", "https://microsoft.com/devicelogin", 1000900, 1000000);
    s.tick(1000001);
    s.tick(1000002);
    s.signed_in(signed_in_token());
    s.finish();
    CHECK(out.str() ==
          "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code "
          "ABCD-EFGH to authenticate.\n");
    CHECK_FALSE(s.announced());
}

TEST_CASE("a terminal: one line rewritten as the clock moves, then Signed in as", "[sign_in_status]") {
    std::ostringstream out;
    aks::SignInStatus s(out, 100, "hint");
    REQUIRE(s.live());
    s.device_code("Entra's sentence", "ABCD-EFGH", "https://microsoft.com/devicelogin", 1000900, 1000000);
    s.tick(1000001);
    s.tick(1000061);
    s.signed_in(signed_in_token());
    s.finish();  // nothing more: the line is closed
    const std::string line = "To sign in, open https://microsoft.com/devicelogin and enter the code ABCD-EFGH (";
    CHECK(out.str() == kRewrite + line + "15:00 left)" + kRewrite + line + "14:59 left)" + kRewrite + line +
                           "13:59 left)" + kRewrite + aks::signed_in_line(signed_in_token(), "hint") + "\n");
    CHECK(s.announced());
}

TEST_CASE("a terminal too narrow for the URL: printed once above the status line", "[sign_in_status]") {
    std::ostringstream out;
    aks::SignInStatus s(out, 60);
    s.device_code("sentence", "ABCD-EFGH", "https://login.example.com/a/rather/long/device/page", 1000900, 1000000);
    s.tick(1000010);
    s.finish();
    CHECK(out.str() == "To sign in, open https://login.example.com/a/rather/long/device/page and enter the code "
                       "ABCD-EFGH\n" +
                           kRewrite + "Enter the code ABCD-EFGH at the page above (15:00 left)" + kRewrite +
                           "Enter the code ABCD-EFGH at the page above (14:50 left)\n");
}

TEST_CASE("identity-provider text cannot move the cursor or end the line", "[sign_in_status]") {
    std::ostringstream out;
    aks::SignInStatus s(out, 200);
    s.device_code("sentence", "AB\033[2J\rCD", "https://x.example/\033]8;;evil\007dev\nice", 1000900, 1000000);
    s.tick(1000001);
    std::string text = out.str();
    // Only our own rewrite sequences: remove them, no control character is left.
    for (std::size_t at; (at = text.find(kRewrite)) != std::string::npos;) text.erase(at, kRewrite.size());
    for (char c : text) CHECK((static_cast<unsigned char>(c) >= 0x20 && c != 0x7f));
    CHECK(text.find("AB [2J CD") != std::string::npos);
}

TEST_CASE("a line still showing is closed by finish, by the guard, or by the destructor", "[sign_in_status]") {
    std::ostringstream out;
    {
        aks::SignInStatus s(out, 100);
        {
            const aks::StatusLineGuard guard(s);
            s.browser("https://login.example/authorize?x=1", true, 300, 1000300, 1000000);
            s.tick(1000299);
        }
        CHECK(out.str() == "A browser window was opened for sign-in. If it did not open, visit:\n"
                           "https://login.example/authorize?x=1\n" +
                               kRewrite + "Waiting for the browser sign-in (5:00 left)" + kRewrite +
                               "Waiting for the browser sign-in (0:01 left)\n");
        s.tick(1000300);  // closed: nothing more
    }
    CHECK(out.str().back() == '\n');
    std::ostringstream out2;
    { aks::SignInStatus s(out2, 100); s.browser("u", false, 300, 1000300, 1000000); }
    CHECK(out2.str() == "No browser could be opened. To sign in, open this URL in a browser on this machine:\nu\n" +
                            kRewrite + "Waiting for the browser sign-in (5:00 left)\n");
}

TEST_CASE("browser, not a terminal: today's two lines", "[sign_in_status]") {
    std::ostringstream out;
    aks::SignInStatus s(out);
    s.browser("https://login.example/authorize?x=1", true, 300, 1000300, 1000000);
    s.tick(1000100);
    s.finish();
    CHECK(out.str() == "A browser window was opened for sign-in; waiting up to 300s. If it did not open, visit:\n"
                       "https://login.example/authorize?x=1\n");
}

TEST_CASE("only Entra's sentence: shown once, the time counts down below it", "[sign_in_status]") {
    std::ostringstream out;
    aks::SignInStatus s(out, 100);
    s.device_code("Go to the page and type the code.", "", "", 1000060, 1000000);
    s.finish();
    CHECK(out.str() == "Go to the page and type the code.\n" + kRewrite + "Waiting for sign-in (1:00 left)\n");
}
