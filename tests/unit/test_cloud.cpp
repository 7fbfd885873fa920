#include <catch2/catch.hpp>
#include <string>

#include "core/cloud.h"
#include "core/errors.h"

TEST_CASE("environment names map to authority hosts", "[cloud]") {
    CHECK(aks::authority_host_for_environment("") == "https://login.microsoftonline.com");
    CHECK(aks::authority_host_for_environment("AzurePublicCloud") == "https://login.microsoftonline.com");
    CHECK(aks::authority_host_for_environment("azurepubliccloud") == "https://login.microsoftonline.com");
    CHECK(aks::authority_host_for_environment("AzureCloud") == "https://login.microsoftonline.com");
    CHECK(aks::authority_host_for_environment("AzureChinaCloud") == "https://login.chinacloudapi.cn");
    CHECK(aks::authority_host_for_environment("AZURECHINACLOUD") == "https://login.chinacloudapi.cn");
    CHECK(aks::authority_host_for_environment("AzureUSGovernmentCloud") == "https://login.microsoftonline.us");
    CHECK(aks::authority_host_for_environment("AzureUSGovernment") == "https://login.microsoftonline.us");
}

TEST_CASE("unknown environment names are usage errors", "[cloud]") {
    try {
        aks::authority_host_for_environment("AzureGermanCloud");
        FAIL("expected UsageError");
    } catch (const aks::UsageError& e) {
        CHECK(std::string(e.what()) ==
              "unknown --environment \"AzureGermanCloud\" (expected AzurePublicCloud, AzureChinaCloud or "
              "AzureUSGovernmentCloud)");
    }
    CHECK_THROWS_AS(aks::authority_host_for_environment("AzurePublicCloudX"), aks::UsageError);
    CHECK_THROWS_AS(aks::authority_host_for_environment("Azure"), aks::UsageError);
    // Control characters in the echoed value do not break the one-line message.
    CHECK_THROWS_WITH(aks::authority_host_for_environment("a\nb"), Catch::Contains("\"a?b\""));
}

TEST_CASE("authority host is normalised to an https origin", "[cloud]") {
    CHECK(aks::normalize_authority_host("https://login.microsoftonline.com") == "https://login.microsoftonline.com");
    CHECK(aks::normalize_authority_host("https://login.microsoftonline.com/") == "https://login.microsoftonline.com");
    CHECK(aks::normalize_authority_host("https://Login.MicrosoftOnline.US//") == "https://login.microsoftonline.us");
    CHECK(aks::normalize_authority_host("HTTPS://127.0.0.1:8443/") == "https://127.0.0.1:8443");
    CHECK(aks::normalize_authority_host("https://[::1]:9443") == "https://[::1]:9443");
    CHECK(aks::normalize_authority_host("https://login.microsoftonline.com:443") == "https://login.microsoftonline.com");
}

TEST_CASE("bad authority hosts are usage errors", "[cloud]") {
    try {
        aks::normalize_authority_host("http://login.microsoftonline.com");
        FAIL("expected UsageError");
    } catch (const aks::UsageError& e) {
        CHECK(std::string(e.what()) ==
              "--authority-host must be an https URL such as https://login.microsoftonline.com, got "
              "\"http://login.microsoftonline.com\"");
    }
    CHECK_THROWS_AS(aks::normalize_authority_host(""), aks::UsageError);
    CHECK_THROWS_AS(aks::normalize_authority_host("login.microsoftonline.com"), aks::UsageError);
    CHECK_THROWS_AS(aks::normalize_authority_host("https://login.microsoftonline.com/tenant"), aks::UsageError);
    CHECK_THROWS_AS(aks::normalize_authority_host("https://login.microsoftonline.com/?x=1"), aks::UsageError);
    CHECK_THROWS_AS(aks::normalize_authority_host("https://user@login.microsoftonline.com"), aks::UsageError);
    CHECK_THROWS_AS(aks::normalize_authority_host("https://host:notaport"), aks::UsageError);
}
