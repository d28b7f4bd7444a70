#include "edgeguard/regex/regex_compiler.hpp"

#include <gtest/gtest.h>

#include <string>

#include "regex_helpers.hpp"

namespace edgeguard::validate::regex_nfa {
namespace {

TEST(RegexCompiler, EndsWithMatchAndCountsStates) {
  const Program p = compiled("ab");
  ASSERT_EQ(p.insts.size(), 3u);
  EXPECT_EQ(p.insts[0].op, Op::set);
  EXPECT_EQ(p.insts[2].op, Op::match);
  EXPECT_EQ(compiled("a{3}").insts.size(), 4u);
  EXPECT_EQ(compiled("a{0,3}").insts.size(), 7u);  // three optional copies: split + set each
  EXPECT_EQ(compiled("a*").insts.size(), 4u);      // split, set, jump, match
}

TEST(RegexCompiler, FindsAnchorsAndLiteralPrefixes) {
  Program p = compiled("^abc[0-9]+");
  EXPECT_TRUE(p.anchored);
  EXPECT_EQ(p.prefix, "abc");
  EXPECT_FALSE(p.literal_only);
  p = compiled("caf\xc3\xa9");
  EXPECT_TRUE(p.literal_only);
  EXPECT_FALSE(p.anchored);
  EXPECT_EQ(p.literal, "caf\xc3\xa9");
  p = compiled("^(?:abc)$");
  EXPECT_TRUE(p.literal_only);
  EXPECT_TRUE(p.literal_at_end);
  p = compiled("^[a-z]+@example\\.com(?:/[a-z]*)?x");
  EXPECT_EQ(p.prefix, "");
  EXPECT_EQ(p.required, "@example.com");
  p = compiled("a|b");
  EXPECT_EQ(p.prefix, "");
  EXPECT_FALSE(p.literal_only);
  p = compiled("\\bword");
  EXPECT_TRUE(p.word_asserts);
  EXPECT_EQ(p.prefix, "");
}

TEST(RegexCompiler, RefusesWhatIsNotLinear) {
  std::string error;
  compiled("(a)\\1", &error);
  EXPECT_NE(error.find("backreferences are not supported"), std::string::npos);
  compiled("a(?=b)", &error);
  EXPECT_NE(error.find("lookahead and lookbehind are only supported right after a leading ^"), std::string::npos);
}

TEST(RegexCompiler, RefusesProgramsAboveTheLimitBeforeBuildingThem) {
  std::string error;
  const Program p = compiled("(?:(?:(?:a{100}){100}){100}){100}", &error);
  EXPECT_NE(error.find("pattern too large"), std::string::npos);
  EXPECT_TRUE(p.insts.empty());
  compiled("[a-z]{1,10000}", &error);  // 20001 states: allowed
  EXPECT_EQ(error, "");
  compiled("[a-z]{1,30000}", &error);
  EXPECT_NE(error.find("pattern too large"), std::string::npos);
}

}  // namespace
}  // namespace edgeguard::validate::regex_nfa
