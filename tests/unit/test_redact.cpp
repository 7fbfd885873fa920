#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/redact.h"

using aks::is_secret_flag;
using aks::redact_args;
using aks::redact_text;
using aks::redacted_command_line;

TEST_CASE("redact_args: secret flag values in both spellings", "[redact]") {
    const std::vector<std::string> in = {"--login", "spn", "--client-id", "0b3c1d2e-7f6a-4b5c-9d8e-1a2b3c4d5e6f",
                                         "--client-secret=Sup3r~S3cret", "--password", "hunter2",
                                         "--client-certificate-password", "--starts-with-dashes",
                                         "--username", "alice@contoso.example"};
    const std::vector<std::string> want = {"--login", "spn", "--client-id", "0b3c1d2e-7f6a-4b5c-9d8e-1a2b3c4d5e6f",
                                           "--client-secret=<redacted>", "--password", "<redacted>",
                                           "--client-certificate-password", "<redacted>",
                                           "--username", "alice@contoso.example"};
    CHECK(redact_args(in) == want);
    CHECK(redacted_command_line({"--password=a b", "-v"}) == "--password=<redacted> -v");
    CHECK(redacted_command_line({"--client-secret"}) == "--client-secret");  // no value to hide
}

TEST_CASE("is_secret_flag: secret and password flags, any later one too", "[redact]") {
    for (const char* f : {"--client-secret", "--client-secret=x", "--password", "-password", "--client-certificate-password",
                          "--some-future-secret"})
        CHECK(is_secret_flag(f));
    for (const char* f : {"--client-id", "--username", "secret", "--login=spn", "--federated-token-file"})
        CHECK_FALSE(is_secret_flag(f));
}

TEST_CASE("redact_text: JWTs and long random strings, nothing else", "[redact]") {
    const std::string jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
    CHECK(redact_text("token " + jwt + " expired") == "token <redacted> expired");
    CHECK(redact_text("Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.x.") == "Bearer <redacted>");
    CHECK(redact_text("--client-secret=Xq8Q~aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789") == "--client-secret=<redacted>");
    CHECK(redact_text("refresh 0.AXoAv4j5cvGGr0GRqy180BHbR_abcdefGHIJ123456789") == "refresh <redacted>");
    for (const char* kept : {
             "aks-token login --login=devicecode --tenant-id=72f988bf-86f1-41af-91ab-2d7cd011db47",
             "--server-id=6DAE42F8-4368-4678-94FF-3960E28E3630",
             "--cache-dir /tmp/aks-test.Vl76Ue/cache-spn-secret",
             "--identity-resource-id=/subscriptions/0b3c1d2e-7f6a-4b5c-9d8e-1a2b3c4d5e6f/resourceGroups/MyRG2/providers/"
             "Microsoft.ManagedIdentity/userAssignedIdentities/id1",
             "https://myaks-dns-3f2a9c1b.hcp.eastus.azmk8s.io:443",
             "AADSTS7000215: Invalid client secret provided.",
             "sha256:0123456789ab",
         }) {
        INFO(kept);
        CHECK(redact_text(kept) == kept);
    }
}
