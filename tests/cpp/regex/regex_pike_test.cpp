#include "edgeguard/regex/regex_pike.hpp"

#include <gtest/gtest.h>

#include <string>

#include "regex_helpers.hpp"

namespace edgeguard::validate::regex_nfa {
namespace {

bool search(const char* pattern, std::string_view text) {
  const Program p = compiled(pattern);
  return PikeMatcher(p).search(text);
}

TEST(RegexPike, WordBoundariesLookAtBothNeighbours) {
  EXPECT_TRUE(search("\\bab", "ab"));
  EXPECT_TRUE(search("\\bab", "x ab"));
  EXPECT_FALSE(search("\\bab", "xab"));
  EXPECT_TRUE(search("ab\\b", "ab"));
  EXPECT_FALSE(search("ab\\b", "abc"));
  EXPECT_TRUE(search("\\Bb", "ab"));
  EXPECT_FALSE(search("\\Bb", "b"));
  EXPECT_TRUE(search("\\b\\xe9", "a\xc3\xa9"));   // é is not a word character
  EXPECT_FALSE(search("^\\b$", ""));
  EXPECT_TRUE(search("^\\B$", ""));
}

TEST(RegexPike, AnchorsAndPrefixSkipping) {
  EXPECT_TRUE(search("needle\\d", "hay needle hay needle7"));
  EXPECT_FALSE(search("needle\\d", "hay needle hay needle"));
  EXPECT_TRUE(search("\\bneedle\\b", "a needle."));
  EXPECT_FALSE(search("^\\bx", "ax"));
  EXPECT_TRUE(search("a$|\\bb", "b"));
}

TEST(RegexPike, StaysLinearOnPathologicalPatterns) {
  const std::string text = std::string(20000, 'a');
  EXPECT_FALSE(search("\\b(a*)*b", text));
  EXPECT_FALSE(search("(a|a?)+\\bc", text));
}

}  // namespace
}  // namespace edgeguard::validate::regex_nfa
