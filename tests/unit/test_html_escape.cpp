#include <catch2/catch.hpp>

#include "core/html_escape.h"

TEST_CASE("html_escape: the five characters that matter in text and attribute values", "[html_escape]") {
    CHECK(aks::html_escape("") == "");
    CHECK(aks::html_escape("plain /path?a=b") == "plain /path?a=b");
    CHECK(aks::html_escape(R"(<a href="x" title='y'>&</a>)") ==
          "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
}
