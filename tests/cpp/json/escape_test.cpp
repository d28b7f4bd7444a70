#include "edgeguard/json/escape.hpp"

#include <gtest/gtest.h>

#include <string>

using edgeguard::json::append_escaped;
using edgeguard::json::append_quoted;

TEST(JsonEscape, ControlCharactersAreEscaped) {
  std::string out;
  append_escaped(out, std::string("a\x01" "b\t", 4));
  EXPECT_EQ(out, "a\\u0001b\\t");
}

TEST(JsonEscape, QuotesBackslashesAndShortEscapes) {
  std::string out;
  append_quoted(out, "say \"hi\"\\\n\r\b\f\x1f caf\xc3\xa9");
  EXPECT_EQ(out, "\"say \\\"hi\\\"\\\\\\n\\r\\b\\f\\u001f caf\xc3\xa9\"");
}

TEST(JsonEscape, PointerTokensEscapeTildeThenSlash) {
  std::string out = "/a";
  edgeguard::json::append_pointer_token(out, "b/c~d~1/");
  EXPECT_EQ(out, "/ab~1c~0d~01~1");
  out.clear();
  edgeguard::json::append_pointer_token(out, "");
  EXPECT_EQ(out, "");
}
