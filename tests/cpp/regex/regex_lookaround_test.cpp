#include "edgeguard/regex/regex_lookaround.hpp"

#include <gtest/gtest.h>

#include "edgeguard/regex/regex.hpp"

namespace edgeguard::validate {
namespace {

TEST(RegexLookaround, SplitsLeadingLookaheadsAndTrailingLookbehinds) {
  regex_ast::ParseResult r = regex_ast::parse("^(?=a)(?!b)x(?<=c)(?<!d)$");
  ASSERT_TRUE(r.ok()) << r.error;
  std::vector<regex_ast::Condition> conditions;
  regex_ast::split_lookarounds(&r.ast, &conditions);
  ASSERT_EQ(conditions.size(), 4u);
  EXPECT_FALSE(conditions[0].negated);
  EXPECT_TRUE(conditions[1].negated);
  EXPECT_TRUE(conditions[2].negated);  // trailing ones are collected from the end inwards
  EXPECT_FALSE(conditions[3].negated);
  const regex_ast::Node& main = r.ast.nodes[r.ast.root];
  ASSERT_EQ(main.kids.size(), 3u);  // ^ x $
  EXPECT_EQ(r.ast.nodes[main.kids[0]].kind, regex_ast::Kind::line_start);
  EXPECT_EQ(r.ast.nodes[main.kids[2]].kind, regex_ast::Kind::line_end);
}

TEST(RegexLookaround, LeavesOtherLookaroundsInPlace) {
  for (const char* pattern : {"a(?=b)", "(?=a)b", "^a(?=b)", "(?<=a)b$", "^(?:(?=a)|b)"}) {
    regex_ast::ParseResult r = regex_ast::parse(pattern);
    ASSERT_TRUE(r.ok()) << r.error;
    std::vector<regex_ast::Condition> conditions;
    regex_ast::split_lookarounds(&r.ast, &conditions);
    EXPECT_TRUE(conditions.empty()) << pattern;
    EXPECT_FALSE(Regex::compile(pattern).ok()) << pattern;
  }
}

TEST(RegexLookaround, PasswordRulesMatchLikeEcmascript) {
  const Regex re = Regex::compile("^(?=.*\\d)(?=.*[a-z])(?=.*[A-Z])(?!.*\\s).{8,}$");
  ASSERT_TRUE(re.ok()) << re.error();
  EXPECT_TRUE(re.search("Passw0rdX"));
  EXPECT_FALSE(re.search("password1"));  // no upper case
  EXPECT_FALSE(re.search("PASSWORD1"));  // no lower case
  EXPECT_FALSE(re.search("Password"));   // no digit
  EXPECT_FALSE(re.search("Pass w0rd"));  // white space
  EXPECT_FALSE(re.search("Pa1"));        // too short
}

TEST(RegexLookaround, FixedPositionConditions) {
  const Regex not_admin = Regex::compile("^(?!admin$)[a-z]+$");
  ASSERT_TRUE(not_admin.ok()) << not_admin.error();
  EXPECT_TRUE(not_admin.search("alice"));
  EXPECT_TRUE(not_admin.search("administrator"));
  EXPECT_FALSE(not_admin.search("admin"));
  const Regex suffix = Regex::compile("[a-z]+(?<!\\.tmp)$");
  ASSERT_TRUE(suffix.ok()) << suffix.error();
  EXPECT_TRUE(suffix.search("report.pdf"));
  EXPECT_FALSE(suffix.search("report.tmp"));
  const Regex ends = Regex::compile("(?<=\\d{2})$");
  EXPECT_TRUE(ends.search("abc12"));
  EXPECT_FALSE(ends.search("abc1"));
  const Regex nested = Regex::compile("^(?=(?=a)ab)a");  // a condition with a condition
  ASSERT_TRUE(nested.ok()) << nested.error();
  EXPECT_TRUE(nested.search("abc"));
  EXPECT_FALSE(nested.search("ac"));
  const Regex impossible = Regex::compile("^(?=a)$");
  EXPECT_FALSE(impossible.search(""));
  EXPECT_FALSE(impossible.search("a"));
}

TEST(RegexLookaround, ConditionsShareTheSizeLimit) {
  const Regex re = Regex::compile("^(?=(?:a{100}){300})(?=(?:b{100}){300})c");
  EXPECT_FALSE(re.ok());
  EXPECT_NE(re.error().find("too large"), std::string::npos);
}

}  // namespace
}  // namespace edgeguard::validate
