#include "edgeguard/regex/regex.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "edgeguard/regex/regex_parser.hpp"

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

TEST(Regex, RequiredLiteralPrefilterKeepsResultsExact) {
  const std::string filler(100, 'a');
  EXPECT_TRUE(matches("[a-z]+@example\\.com", filler + "@example.com"));
  EXPECT_FALSE(matches("[a-z]+@example\\.com", filler + "@example.org"));
  EXPECT_FALSE(matches("[a-z]+@example\\.com", filler + "@@example.com"));
  EXPECT_TRUE(matches("x*@ex", "@ex"));  // short text: no prefilter, same answer
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

// A deliberately naive backtracking matcher over the syntax tree, written from the ECMAScript
// semantics (exponential, so only for tiny inputs): the oracle for the linear-time engine.
class Reference {
 public:
  Reference(const regex_ast::Ast& ast, std::u32string text) : ast_(ast), text_(std::move(text)) {}
  bool search() {
    for (size_t start = 0; start <= text_.size(); ++start) {
      if (match(ast_.root, start, [](size_t) { return true; })) return true;
    }
    return false;
  }

 private:
  using Cont = std::function<bool(size_t)>;
  static bool word(char32_t c) { return c < 128 && (std::isalnum(int(c)) || c == '_'); }
  bool match(uint32_t id, size_t pos, const Cont& k) {
    const regex_ast::Node& n = ast_.nodes[id];
    using regex_ast::Kind;
    switch (n.kind) {
      case Kind::empty: return k(pos);
      case Kind::set: return pos < text_.size() && ast_.sets[n.index].contains(text_[pos]) && k(pos + 1);
      case Kind::concat: return sequence(n, 0, pos, k);
      case Kind::alt:
        for (uint32_t kid : n.kids) {
          if (match(kid, pos, k)) return true;
        }
        return false;
      case Kind::group: return match(n.kids[0], pos, k);
      case Kind::repeat: return repeat(n, 0, pos, k);
      case Kind::line_start: return pos == 0 && k(pos);
      case Kind::line_end: return pos == text_.size() && k(pos);
      case Kind::word_boundary:
      case Kind::not_word_boundary: {
        const bool a = pos > 0 && word(text_[pos - 1]), b = pos < text_.size() && word(text_[pos]);
        return ((a != b) == (n.kind == Kind::word_boundary)) && k(pos);
      }
      case Kind::lookaround: {
        bool holds = false;
        if (n.behind) {
          for (size_t s = 0; s <= pos && !holds; ++s) holds = match(n.kids[0], s, [pos](size_t e) { return e == pos; });
        } else {
          holds = match(n.kids[0], pos, [](size_t) { return true; });
        }
        return holds != n.negated && k(pos);
      }
      case Kind::backref: return false;
    }
    return false;
  }
  bool sequence(const regex_ast::Node& n, size_t i, size_t pos, const Cont& k) {
    if (i == n.kids.size()) return k(pos);
    return match(n.kids[i], pos, [&, i](size_t p) { return sequence(n, i + 1, p, k); });
  }
  bool repeat(const regex_ast::Node& n, uint32_t count, size_t pos, const Cont& k) {
    if (count >= n.min && k(pos)) return true;
    if (count >= n.max) return false;
    return match(n.kids[0], pos, [&, count, pos](size_t p) {
      return (p != pos || count < n.min) && repeat(n, count + 1, p, k);
    });
  }
  const regex_ast::Ast& ast_;
  std::u32string text_;
};

class PatternGen {
 public:
  uint32_t next(uint32_t n) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return uint32_t(state_ >> 33) % n;
  }
  std::string pattern(int depth) {
    std::string out;
    if (next(3) == 0) {
      out += "^";
      while (next(3) == 0) out += next(2) ? "(?=" + body(depth) + ")" : "(?!" + body(depth) + ")";
    }
    out += body(depth);
    if (next(3) == 0) {
      while (next(3) == 0) out += next(2) ? "(?<=" + body(depth) + ")" : "(?<!" + body(depth) + ")";
      out += "$";
    }
    return out;
  }
  std::u32string text() {
    static const char32_t kChars[] = {U'a', U'b', U' ', U'\u00e9'};
    std::u32string out;
    for (uint32_t i = next(7); i > 0; --i) out += kChars[next(4)];
    return out;
  }

 private:
  std::string body(int depth) {
    std::string out;
    for (uint32_t i = 1 + next(3); i > 0; --i) {
      static const char* const kAtoms[] = {"a", "b", ".", "[^a]", "\\w", "\\b", "\\p{Ll}"};
      static const char* const kQuantifiers[] = {"", "", "*", "+", "?", "{2}", "{0,2}", "+?"};
      std::string atom = kAtoms[next(7)];
      if (depth > 0 && next(4) == 0) atom = "(?:" + body(depth - 1) + "|" + body(depth - 1) + ")";
      if (atom != "\\b") atom += kQuantifiers[next(8)];
      out += atom;
    }
    return out;
  }
  uint64_t state_ = 7;
};

std::string utf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out += char(c);
    } else {
      out += char(0xC0 | (c >> 6));
      out += char(0x80 | (c & 0x3F));
    }
  }
  return out;
}

TEST(Regex, AgreesWithABacktrackingReference) {
  PatternGen gen;
  int compiled = 0, matched = 0, total = 0;
  for (int i = 0; i < 600; ++i) {
    const std::string pattern = gen.pattern(1);
    const regex_ast::ParseResult parsed = regex_ast::parse(pattern);
    ASSERT_TRUE(parsed.ok()) << pattern << ": " << parsed.error;
    const Regex re = Regex::compile(pattern);
    ASSERT_TRUE(re.ok()) << pattern << ": " << re.error();  // every lookaround is at a fixed place
    ++compiled;
    for (int j = 0; j < 12; ++j) {
      const std::u32string text = gen.text();
      const bool expected = Reference(parsed.ast, text).search();
      EXPECT_EQ(re.search(utf8(text)), expected) << pattern << " on '" << utf8(text) << "'";
      matched += expected;
      ++total;
    }
  }
  EXPECT_EQ(compiled, 600);
  // Both outcomes must be common, or the comparison proves little.
  EXPECT_GT(matched, total / 5);
  EXPECT_LT(matched, total * 4 / 5);
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
