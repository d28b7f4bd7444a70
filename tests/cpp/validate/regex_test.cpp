#include "edgeguard/validate/regex.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace edgeguard::validate {
namespace {

bool matches(const char* pattern, std::string_view text) {
  Regex re = Regex::compile(pattern);
  EXPECT_TRUE(re.ok()) << pattern << ": " << re.error();
  return re.search(text);
}

std::string compile_error(const char* pattern) {
  Regex re = Regex::compile(pattern);
  EXPECT_FALSE(re.ok()) << pattern;
  return re.error();
}

TEST(Regex, LiteralsSearchUnanchored) {
  EXPECT_TRUE(matches("abc", "xxabcxx"));
  EXPECT_FALSE(matches("abc", "xxabxcx"));
  EXPECT_TRUE(matches("^abc", "abcdef"));
  EXPECT_FALSE(matches("^abc", "xabc"));
  EXPECT_TRUE(matches("abc$", "xxabc"));
  EXPECT_FALSE(matches("abc$", "abc\n"));
  EXPECT_TRUE(matches("^abc$", "abc"));
  EXPECT_FALSE(matches("^abc$", "abcc"));
  EXPECT_TRUE(matches("", "anything"));
  EXPECT_TRUE(matches("", ""));
}

TEST(Regex, AlternationGroupsQuantifiers) {
  EXPECT_TRUE(matches("^(cat|dog)s?$", "dogs"));
  EXPECT_FALSE(matches("^(cat|dog)s?$", "cow"));
  EXPECT_TRUE(matches("^(?:ab)+$", "ababab"));
  EXPECT_FALSE(matches("^(?:ab)+$", "ababa"));
  EXPECT_TRUE(matches("^a{3}$", "aaa"));
  EXPECT_FALSE(matches("^a{3}$", "aa"));
  EXPECT_TRUE(matches("^a{2,}$", "aaaaa"));
  EXPECT_FALSE(matches("^a{2,}$", "a"));
  EXPECT_TRUE(matches("^a{2,3}$", "aaa"));
  EXPECT_FALSE(matches("^a{2,3}$", "aaaa"));
  EXPECT_TRUE(matches("^a*?b+?$", "aab"));
  EXPECT_TRUE(matches("^(?<year>\\d{4})-(?<month>\\d{2})$", "2024-05"));
  EXPECT_TRUE(matches("^(a*)*$", "aaaa"));
  EXPECT_TRUE(matches("^(|a)+$", ""));
  EXPECT_TRUE(matches("^x{0}$", ""));
}

TEST(Regex, NestedQuantifiersRunInLinearTime) {
  // A backtracking engine needs ~2^30 steps here; the NFA needs a few hundred.
  const std::string text = std::string(30, 'a') + "!";
  EXPECT_FALSE(matches("^(a+)+$", text));
  EXPECT_FALSE(matches("^(a|a)*$", text));
  EXPECT_FALSE(matches("^(a|aa)+$", text));
  EXPECT_FALSE(matches("(x+x+)+y", std::string(5000, 'x')));
  EXPECT_TRUE(matches("^(a+)+$", std::string(30, 'a')));
}

TEST(Regex, ClassEscapesUseEcmascriptDefinitions) {
  EXPECT_TRUE(matches("^\\d$", "7"));
  EXPECT_FALSE(matches("^\\d$", "\u0967"));  // DEVANAGARI DIGIT ONE is not \d
  EXPECT_TRUE(matches("^\\D$", "\u0967"));
  EXPECT_TRUE(matches("^\\w+$", "az_09AZ"));
  EXPECT_FALSE(matches("^\\w$", "\u00e9"));
  EXPECT_TRUE(matches("^\\W$", "\u00e9"));
  for (const char* ws : {" ", "\t", "\n", "\v", "\f", "\r", "\u00a0", "\u1680", "\u2000", "\u2028",
                         "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff"}) {
    EXPECT_TRUE(matches("^\\s$", ws)) << ws;
    EXPECT_FALSE(matches("^\\S$", ws)) << ws;
  }
  EXPECT_FALSE(matches("^\\s$", "\u200b"));  // ZERO WIDTH SPACE is Cf, not whitespace
}

TEST(Regex, DotExcludesLineTerminators) {
  EXPECT_TRUE(matches("^.$", "\u00e9"));
  EXPECT_TRUE(matches("^.$", "\U0001F432"));  // one code point, not two UTF-16 units
  for (const char* lt : {"\n", "\r", "\u2028", "\u2029"}) EXPECT_FALSE(matches("^.$", lt));
}

TEST(Regex, CharacterEscapes) {
  EXPECT_TRUE(matches("^\\t\\n\\v\\f\\r$", "\t\n\v\f\r"));
  EXPECT_TRUE(matches("^\\0$", std::string_view("\0", 1)));
  EXPECT_TRUE(matches("^\\cC$", "\x03"));
  EXPECT_TRUE(matches("^\\cc$", "\x03"));
  EXPECT_TRUE(matches("^\\x41\\u0042\\u{43}$", "ABC"));
  EXPECT_TRUE(matches("^\\ud83d\\udc32$", "\U0001F432"));
  EXPECT_TRUE(matches("^\\u{1F432}+$", "\U0001F432\U0001F432"));
  EXPECT_TRUE(matches("^\\^\\$\\\\\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\/$", "^$\\.*+?()[]{}|/"));
}

TEST(Regex, CharacterClasses) {
  EXPECT_TRUE(matches("^[a-z0-9_-]+$", "abc-09_z"));
  EXPECT_FALSE(matches("^[a-z]$", "A"));
  EXPECT_TRUE(matches("^[^a-z]$", "A"));
  EXPECT_FALSE(matches("^[^a-z]$", "q"));
  EXPECT_TRUE(matches("^[\\d.]+$", "1.5"));
  EXPECT_TRUE(matches("^[\\s\\S]$", "\n"));
  EXPECT_TRUE(matches("^[\\b]$", "\b"));
  EXPECT_TRUE(matches("^[\\-]$", "-"));
  EXPECT_TRUE(matches("^[-a]$", "-"));
  EXPECT_TRUE(matches("^[a-]$", "-"));
  EXPECT_TRUE(matches("^[\\u{1F400}-\\u{1F4FF}]$", "\U0001F432"));
  EXPECT_FALSE(matches("[]", "a"));
  EXPECT_TRUE(matches("^[^]$", "\n"));
  EXPECT_TRUE(matches("^[[]$", "["));
}

TEST(Regex, WordBoundaries) {
  EXPECT_TRUE(matches("\\bcat\\b", "a cat!"));
  EXPECT_FALSE(matches("\\bcat\\b", "concatenate"));
  EXPECT_TRUE(matches("\\Bcat\\B", "concatenate"));
  EXPECT_FALSE(matches("^\\b$", ""));
}

TEST(Regex, UnicodeProperties) {
  EXPECT_TRUE(matches("\\p{Letter}cole", "\u00e9cole"));
  EXPECT_FALSE(matches("\\wcole", "\u00e9cole"));
  EXPECT_TRUE(matches("^\\p{digit}+$", "\u0967\u0968"));
  EXPECT_TRUE(matches("^\\p{Lu}\\p{Ll}+$", "\u00c9cole"));
  EXPECT_FALSE(matches("^\\p{Lu}$", "a"));
  EXPECT_TRUE(matches("^\\P{Lu}$", "a"));
  EXPECT_TRUE(matches("^\\p{gc=Nd}$", "5"));
  EXPECT_TRUE(matches("^\\p{General_Category=Decimal_Number}$", "5"));
  EXPECT_TRUE(matches("^\\p{Script=Greek}+$", "\u03b1\u03b2"));
  EXPECT_FALSE(matches("^\\p{sc=Grek}$", "a"));
  EXPECT_TRUE(matches("^\\p{sc=Cyrillic}$", "\u0436"));
  EXPECT_TRUE(matches("^\\p{Zs}$", "\u3000"));
  EXPECT_TRUE(matches("^[\\p{L}\\p{N}]+$", "abc\u0967"));
  EXPECT_TRUE(matches("^[^\\p{L}]$", "1"));
  EXPECT_TRUE(matches("^\\p{Any}$", "\U0010FFFF"));
  EXPECT_TRUE(matches("^\\p{ASCII}+$", "abc"));
  EXPECT_FALSE(matches("^\\p{ASCII}$", "\u00e9"));
  EXPECT_TRUE(matches("^\\p{Alphabetic}$", "\u00e9"));
  EXPECT_TRUE(matches("^\\p{White_Space}$", "\u2028"));
  EXPECT_NE(compile_error("\\p{NotAProperty}").find("property"), std::string::npos);
  compile_error("\\p{letter}");  // names are case-sensitive
  compile_error("\\p{Script=Nope}");
  compile_error("\\p{Lu");
}

TEST(Regex, NonLinearConstructsAreRefusedWithAReason) {
  EXPECT_NE(compile_error("(a)\\1").find("backreference"), std::string::npos);
  EXPECT_NE(compile_error("(?<n>a)\\k<n>").find("backreference"), std::string::npos);
  EXPECT_NE(compile_error("a(?=b)").find("lookahead"), std::string::npos);
  EXPECT_NE(compile_error("a(?!b)").find("lookahead"), std::string::npos);
  EXPECT_NE(compile_error("(?<=a)b").find("lookbehind"), std::string::npos);
  EXPECT_NE(compile_error("(?<!a)b").find("lookbehind"), std::string::npos);
  EXPECT_NE(compile_error("^(?=(a)\\1)").find("backreference"), std::string::npos);
}

TEST(Regex, ProgramSizeIsBounded) {
  EXPECT_NE(compile_error("a{1000}{1000}").find("nothing to repeat"), std::string::npos);
  EXPECT_NE(compile_error("(?:a{1000}){1000}").find("too large"), std::string::npos);
  EXPECT_NE(compile_error("((a{100}){100}){100}").find("too large"), std::string::npos);
  compile_error("a{4294967295}");
  compile_error("a{99999999999999999999}");
  EXPECT_TRUE(Regex::compile("^[a-z]{1,255}$").ok());
  std::string deep(1000, '(');
  EXPECT_NE(compile_error(deep.c_str()).find("deep"), std::string::npos);
}

TEST(Regex, InvalidSyntaxIsAnError) {
  for (const char* bad : {"(", ")", "(abc", "[a", "a**", "*a", "+", "?", "a{2,1}", "{", "}", "]",
                          "a{", "a{1", "x{1,", "\\", "\\a", "\\e", "\\z", "\\c", "\\c1", "\\x4",
                          "\\u12", "\\u{110000}", "\\u{}", "[z-a]", "[\\d-z]", "[a-\\d]", "\\1",
                          "\\k<x>", "(?<1a>x)", "(?<a>x)(?<a>y)", "(?P<name>x)", "(?#c)", "(?i)a",
                          "(?=a)*", "^*", "$+", "\\b+", "\\00", "[\\B]", "\\-", "(?<a"}) {
    Regex re = Regex::compile(bad);
    EXPECT_FALSE(re.ok()) << bad;
    EXPECT_FALSE(re.search("anything")) << bad;
  }
  EXPECT_FALSE(Regex::compile("\xff").ok());
}

TEST(Regex, ErrorsNameThePosition) {
  EXPECT_EQ(compile_error("ab(c"), "invalid regular expression: unterminated group at position 2");
}

TEST(Regex, SearchesArbitraryBytesSafely) {
  Regex re = Regex::compile("^.+$");
  ASSERT_TRUE(re.ok());
  EXPECT_TRUE(re.search("\xff\xfe"));          // invalid bytes read as U+FFFD
  EXPECT_TRUE(re.search("\xed\xa0\x80"));      // an encoded lone surrogate
  EXPECT_TRUE(matches("^\\ud800$", "\xed\xa0\x80"));
}

// The regex files of the official suite. `pattern` groups check strings; `patternProperties`
// groups check that matching keys satisfy their subschema (true, or {"type": "integer"}) and,
// with additionalProperties false, that every key matches some pattern.
bool suite_valid(const nlohmann::json& schema, const nlohmann::json& data) {
  if (schema.contains("pattern")) {
    if (!data.is_string()) return !(schema.value("type", "") == "string");
    return Regex::compile(schema["pattern"].get<std::string>()).search(data.get<std::string>());
  }
  if (!data.is_object()) return true;
  const bool closed = schema.contains("additionalProperties") && schema["additionalProperties"] == false;
  for (const auto& [key, value] : data.items()) {
    bool matched = false;
    for (const auto& [pattern, sub] : schema["patternProperties"].items()) {
      Regex re = Regex::compile(pattern);
      EXPECT_TRUE(re.ok()) << pattern << ": " << re.error();
      if (!re.search(key)) continue;
      matched = true;
      if (sub.is_object() && sub.value("type", "") == "integer" && !value.is_number_integer()) return false;
    }
    if (closed && !matched) return false;
  }
  return true;
}

void run_regex_suite(const std::string& file) {
  const std::string path = std::string(EDGEGUARD_TEST_DATA) + "/conformance/JSON-Schema-Test-Suite/tests/" + file;
  std::ifstream in(path);
  if (!in) GTEST_SKIP() << "suite not vendored at " << path;
  int passed = 0, total = 0;
  for (const auto& group : nlohmann::json::parse(in)) {
    for (const auto& test : group["tests"]) {
      ++total;
      const bool ok = suite_valid(group["schema"], test["data"]) == test["valid"].get<bool>();
      passed += ok;
      EXPECT_TRUE(ok) << group["description"] << " / " << test["description"];
    }
  }
  std::printf("[ regex    ] %s %d/%d\n", file.c_str(), passed, total);
}

TEST(RegexSuite, EcmascriptRegex2020_12) { run_regex_suite("draft2020-12/optional/ecmascript-regex.json"); }
TEST(RegexSuite, EcmascriptRegexDraft7) { run_regex_suite("draft7/optional/ecmascript-regex.json"); }
TEST(RegexSuite, NonBmpRegex2020_12) { run_regex_suite("draft2020-12/optional/non-bmp-regex.json"); }

}  // namespace
}  // namespace edgeguard::validate
