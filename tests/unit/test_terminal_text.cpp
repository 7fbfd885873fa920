#include "core/terminal_text.h"

#include <catch2/catch.hpp>

TEST_CASE("terminal_line: one clean line of bounded length", "[terminal_text]") {
    CHECK(aks::terminal_line("plain text") == "plain text");
    CHECK(aks::terminal_line("two\r\nlines\x1b[2J\x7f") == "two  lines [2J ");
    CHECK(aks::terminal_line(std::string(300, 'a')) == std::string(200, 'a') + "...");
    CHECK(aks::terminal_line("abc def", 4) == "abc...");  // cut, trailing space dropped
    // Never half a UTF-8 sequence: "é" is two bytes.
    CHECK(aks::terminal_line("ab\xc3\xa9xyz", 3) == "ab...");
    CHECK(aks::terminal_line("", 10).empty());
}
