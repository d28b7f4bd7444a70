#include "edgeguard/regex/regex_parser.hpp"

#include <gtest/gtest.h>

namespace edgeguard::validate::regex_ast {
namespace {

const Node& root(const ParseResult& r) { return r.ast.nodes[r.ast.root]; }

TEST(RegexParser, BuildsAlternationOfSequences) {
  const ParseResult r = parse("ab|c");
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(root(r).kind, Kind::alt);
  ASSERT_EQ(root(r).kids.size(), 2u);
  EXPECT_EQ(r.ast.nodes[root(r).kids[0]].kind, Kind::concat);
  EXPECT_EQ(r.ast.nodes[root(r).kids[1]].kind, Kind::set);
}

TEST(RegexParser, Quantifiers) {
  struct Case {
    const char* pattern;
    uint32_t min, max;
    bool greedy;
  } cases[] = {{"a*", 0, kInfinite, true}, {"a+?", 1, kInfinite, false}, {"a?", 0, 1, true},
               {"a{3}", 3, 3, true},       {"a{2,}", 2, kInfinite, true}, {"a{2,5}?", 2, 5, false}};
  for (const Case& c : cases) {
    const ParseResult r = parse(c.pattern);
    ASSERT_TRUE(r.ok()) << c.pattern;
    EXPECT_EQ(root(r).kind, Kind::repeat) << c.pattern;
    EXPECT_EQ(root(r).min, c.min) << c.pattern;
    EXPECT_EQ(root(r).max, c.max) << c.pattern;
    EXPECT_EQ(root(r).greedy, c.greedy) << c.pattern;
  }
}

TEST(RegexParser, CountsCapturingGroupsOnly) {
  const ParseResult r = parse("(a)(?:b)(?<n>c)(?=d)(?<!e)");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.ast.groups, 2u);
  EXPECT_TRUE(r.ast.has_lookaround);
  EXPECT_FALSE(r.ast.has_backref);
}

TEST(RegexParser, ResolvesBackreferencesIncludingForwardOnes) {
  const ParseResult r = parse("\\2(a)(?<second>b)\\k<second>");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.ast.has_backref);
  const Node& seq = root(r);
  EXPECT_EQ(r.ast.nodes[seq.kids[0]].index, 2u);
  EXPECT_EQ(r.ast.nodes[seq.kids[3]].index, 2u);
  EXPECT_FALSE(parse("(a)\\2").ok());
  EXPECT_FALSE(parse("\\k<missing>(?<x>a)").ok());
}

TEST(RegexParser, GroupNamesAreIdentifiers) {
  EXPECT_TRUE(parse("(?<$name_1>a)").ok());
  EXPECT_TRUE(parse("(?<\xc3\xa9t\xc3\xa9>a)").ok());        // Unicode ID_Start / ID_Continue
  EXPECT_TRUE(parse("(?<\\u0061b>a)\\k<ab>").ok());          // escapes in names
  EXPECT_FALSE(parse("(?<a-b>a)").ok());
  EXPECT_FALSE(parse("(?<>a)").ok());
}

TEST(RegexParser, ClassesAndEscapesBecomeSets) {
  const ParseResult r = parse("[a-c\\d]");
  ASSERT_TRUE(r.ok()) << r.error;
  const CharSet& s = r.ast.sets[root(r).index];
  EXPECT_TRUE(s.contains('b'));
  EXPECT_TRUE(s.contains('7'));
  EXPECT_FALSE(s.contains('d'));
  const ParseResult dot = parse(".");
  EXPECT_FALSE(dot.ast.sets[root(dot).index].contains('\n'));
  EXPECT_TRUE(dot.ast.sets[root(dot).index].contains(0x1F432));
}

TEST(RegexParser, LookaroundIsNotQuantifiableUnderUnicodeMode) {
  EXPECT_FALSE(parse("(?=a)+").ok());
  EXPECT_FALSE(parse("(?<=a){2}").ok());
  EXPECT_TRUE(parse("(?:(?=a))+").ok());
}

TEST(RegexParser, NestingIsBounded) {
  const std::string ok = std::string(kMaxNesting, '(') + std::string(kMaxNesting, ')');
  EXPECT_TRUE(parse(ok).ok());
  const std::string deep = std::string(kMaxNesting + 1, '(') + std::string(kMaxNesting + 1, ')');
  EXPECT_NE(parse(deep).error.find("nesting too deep"), std::string::npos);
  const std::string classes = std::string(kMaxNesting + 1, '[');
  EXPECT_FALSE(parse(classes).ok());
}

TEST(RegexParser, SyntaxOnlyModeJudgesAlikeWithoutATree) {
  for (const char* pattern : {"^\\p{L}+(?<n>[a-z]{2,})\\k<n>$", "(a)\\1", "[z-a]", "\\p{Nope}", "(?<=a)b", "a{2,1}"}) {
    const ParseResult tree = parse(pattern);
    const ParseResult syntax = parse(pattern, ParseMode::syntax_only);
    EXPECT_EQ(tree.error, syntax.error) << pattern;
    EXPECT_TRUE(syntax.ast.nodes.empty());
    EXPECT_TRUE(syntax.ast.sets.empty());
  }
  std::string huge;
  for (int i = 0; i < 20000; ++i) huge += "\\p{L}";
  EXPECT_TRUE(parse(huge, ParseMode::syntax_only).ok());
}

TEST(RegexParser, ErrorsSayWhatAndWhere) {
  EXPECT_EQ(parse("a{2,1}").error,
            "invalid regular expression: numbers out of order in {} quantifier at position 1");
  EXPECT_EQ(parse("[z-a]").error, "invalid regular expression: range out of order in character class at position 2");
  EXPECT_EQ(parse("a)").error, "invalid regular expression: unmatched ')' at position 1");
  EXPECT_EQ(parse("\xc3").error, "invalid regular expression: pattern is not valid UTF-8");
}

}  // namespace
}  // namespace edgeguard::validate::regex_ast
