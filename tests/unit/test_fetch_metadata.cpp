#include <catch2/catch.hpp>

#include <boost/beast/http/fields.hpp>

#include <initializer_list>
#include <optional>
#include <string>

#include "local-proxy/fetch_metadata.h"

using aks::proxy::fetch_site_refusal;

namespace {

std::optional<std::string> refusal(std::initializer_list<const char*> values) {
    boost::beast::http::fields f;
    f.set(boost::beast::http::field::host, "127.0.0.1:8001");
    for (const char* v : values) f.insert("Sec-Fetch-Site", v);
    return fetch_site_refusal(f);
}

}  // namespace

TEST_CASE("fetch_site_refusal: what a browser may start, and what only the user may", "[fetch_metadata]") {
    struct Row {
        std::initializer_list<const char*> values;
        bool allowed;
    } rows[] = {
        {{}, true},               // kubectl, curl, client libraries
        {{"same-origin"}, true},  // the proxy's own page, its WebSockets
        {{"none"}, true},         // typed URL, bookmark, xdg-open
        {{"cross-site"}, false},  // any other site's page: no-cors fetch, <img>, <script>, navigation
        {{"same-site"}, false},   // a page on another port of the same host
        // Fail closed: anything a browser does not send.
        {{"same-origin", "same-origin"}, false},
        {{"none", "cross-site"}, false},
        {{"same-origin, cross-site"}, false},
        {{"Same-Origin"}, false},
        {{"NONE"}, false},
        {{""}, false},
        {{"same-origin;x=1"}, false},
        {{"\"none\""}, false},
        {{"cross-site-ish"}, false},
    };
    for (const Row& r : rows) {
        std::string shown;
        for (const char* v : r.values) shown += std::string("[") + v + "]";
        INFO(shown);
        const auto why = refusal(r.values);
        CHECK(why.has_value() == !r.allowed);
        if (why) CHECK(why->find('\n') == std::string::npos);
    }
}

TEST_CASE("fetch_site_refusal: the reason names the value a browser sent", "[fetch_metadata]") {
    CHECK(refusal({"cross-site"})->find("Sec-Fetch-Site: cross-site") != std::string::npos);
    CHECK(refusal({"same-site"})->find("Sec-Fetch-Site: same-site") != std::string::npos);
    CHECK(refusal({"a", "b"})->find("more than one") != std::string::npos);
}
