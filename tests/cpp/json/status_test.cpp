#include "edgeguard/json/status.hpp"

#include <gtest/gtest.h>

#include <string>

using edgeguard::json::Location;

namespace {

Location at(const std::string& text, size_t offset) {
  return edgeguard::json::locate(reinterpret_cast<const uint8_t*>(text.data()), text.size(), offset);
}

// Column in code points: a user's editor counts characters, not the bytes of their encoding.
TEST(Locate, CountsCodePointsNotBytes) {
  const std::string text = "\"\xF0\x9F\x98\x80\xE2\x82\xAC\"x";  // "😀€"x: 4- and 3-byte sequences
  EXPECT_EQ(at(text, 0).column, 1u);
  EXPECT_EQ(at(text, 1).column, 2u);
  EXPECT_EQ(at(text, 5).column, 3u);   // just past the emoji
  EXPECT_EQ(at(text, 8).column, 4u);   // just past the euro sign
  EXPECT_EQ(at(text, 3).column, 3u);   // inside the emoji: its lead byte has been counted
  EXPECT_EQ(at(text, 9).line, 1u);
}

TEST(Locate, NewlinesStartALineAtColumnOne) {
  const std::string text = "[1,\r\n\xC3\xA9\n\n  2]";
  EXPECT_EQ(at(text, 3).column, 4u);  // a carriage return is an ordinary character
  const Location after_crlf = at(text, 5);
  EXPECT_EQ(after_crlf.line, 2u);
  EXPECT_EQ(after_crlf.column, 1u);
  const Location two = at(text, 11);
  EXPECT_EQ(two.line, 4u);
  EXPECT_EQ(two.column, 3u);
}

// An error offset can point one past the end (an unterminated document); anything beyond is
// clamped rather than read.
TEST(Locate, OffsetsPastTheEndStopAtTheEnd) {
  const std::string text = "{\n\"a\xC3\xA9";
  const Location end = at(text, text.size());
  EXPECT_EQ(end.line, 2u);
  EXPECT_EQ(end.column, 4u);
  const Location beyond = at(text, text.size() + 100);
  EXPECT_EQ(beyond.line, end.line);
  EXPECT_EQ(beyond.column, end.column);
  EXPECT_EQ(at("", 5).line, 1u);
}

}  // namespace
