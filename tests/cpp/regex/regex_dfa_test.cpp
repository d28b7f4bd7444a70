#include "edgeguard/regex/regex_dfa.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "edgeguard/regex/regex_pike.hpp"
#include "regex_helpers.hpp"

namespace edgeguard::validate::regex_nfa {
namespace {

// Deterministic generator of small patterns over {a, b, c, é} (fixed seed: reproducible).
class Gen {
 public:
  uint32_t next(uint32_t n) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return uint32_t(state_ >> 33) % n;
  }
  std::string pattern(int depth) {
    std::string out;
    const uint32_t items = 1 + next(3);
    for (uint32_t i = 0; i < items; ++i) out += term(depth);
    if (next(4) == 0) out = "^" + out;
    if (next(4) == 0) out += "$";
    return out;
  }
  std::string text() {
    static const char* const kChars[] = {"a", "b", "c", "\xc3\xa9", "\n"};
    std::string out;
    const uint32_t n = next(9);
    for (uint32_t i = 0; i < n; ++i) out += kChars[next(5)];
    return out;
  }

 private:
  std::string atom(int depth) {
    switch (next(depth > 0 ? 8 : 6)) {
      case 0: return "a";
      case 1: return "b";
      case 2: return "[ac]";
      case 3: return ".";
      case 4: return "[^a]";
      case 5: return "\\p{L}";
      case 6: return "(" + pattern(depth - 1) + "|" + pattern(depth - 1) + ")";
      default: return "(?:" + pattern(depth - 1) + ")";
    }
  }
  std::string term(int depth) {
    static const char* const kQuantifiers[] = {"", "", "*", "+", "?", "{2}", "{1,3}", "{0,}", "*?"};
    return atom(depth) + kQuantifiers[next(9)];
  }
  uint64_t state_ = 42;
};

TEST(RegexDfa, AgreesWithTheNfaSimulation) {
  Gen gen;
  for (int i = 0; i < 400; ++i) {
    const std::string pattern = gen.pattern(2);
    const Program p = compiled(pattern);
    ASSERT_TRUE(DfaMatcher::supports(p));
    const DfaMatcher dfa(p);
    const DfaMatcher tiny(p, 1);  // flushes on every new state
    const PikeMatcher nfa(p);
    for (int j = 0; j < 20; ++j) {
      const std::string text = gen.text();
      const bool expected = nfa.search(text);
      EXPECT_EQ(dfa.search(text), expected) << pattern << " on \"" << text << "\"";
      EXPECT_EQ(tiny.search(text), expected) << pattern << " on \"" << text << "\"";
    }
  }
}

TEST(RegexDfa, NestedQuantifiersNeedAHandfulOfStates) {
  // Backtracking takes ~2^30 steps on this input; the DFA takes one step per character over
  // three states (start, "after some a's", dead).
  const Program p = compiled("^(a+)+$");
  const DfaMatcher dfa(p);
  EXPECT_FALSE(dfa.search(std::string(30, 'a') + "!"));
  EXPECT_LE(dfa.states(), 3u);
  EXPECT_TRUE(dfa.search(std::string(100000, 'a')));
  EXPECT_LE(dfa.states(), 3u);
  EXPECT_EQ(dfa.flushes(), 0u);
}

TEST(RegexDfa, AnchorsAtTheEndsOnly) {
  const Program p = compiled("^$|^a$|b$");
  const DfaMatcher dfa(p);
  EXPECT_TRUE(dfa.search(""));
  EXPECT_TRUE(dfa.search("a"));
  EXPECT_FALSE(dfa.search("aa"));
  EXPECT_TRUE(dfa.search("ab"));
  EXPECT_FALSE(dfa.search("ba"));
  const Program q = compiled("$^");
  EXPECT_TRUE(DfaMatcher(q).search(""));
  EXPECT_FALSE(DfaMatcher(q).search("a"));
}

TEST(RegexDfa, MemoryBudgetIsEnforcedByFlushing) {
  // (a|b)*a(a|b){8} needs 2^9 DFA states: far more than a small budget holds.
  const Program p = compiled("(a|b)*a(a|b){8}$");
  const DfaMatcher dfa(p, 4096);
  std::string text;
  Gen gen;
  for (int i = 0; i < 4000; ++i) text += gen.next(2) ? 'a' : 'b';
  text += "abbbbbbbb";
  EXPECT_TRUE(dfa.search(text));
  EXPECT_GT(dfa.flushes(), 0u);
  EXPECT_FALSE(dfa.search(text + "a" + std::string(8, 'b') + "c"));
}

TEST(RegexDfa, ManyClassesStillMatchNonAscii) {
  const Program p = compiled("^[\\p{L}\\p{N}]+\\p{Zs}\\p{Lu}$");
  const DfaMatcher dfa(p);
  EXPECT_TRUE(dfa.search("h\xc3\xa9llo\xe0\xa5\xa7\xe3\x80\x80\xc3\x89"));
  EXPECT_FALSE(dfa.search("h\xc3\xa9llo\xe3\x80\x80\xc3\xa9"));
}

TEST(RegexDfa, WordBoundariesAreLeftToTheNfa) {
  EXPECT_FALSE(DfaMatcher::supports(compiled("\\bcat")));
  EXPECT_TRUE(DfaMatcher::supports(compiled("^cat$")));
}

}  // namespace
}  // namespace edgeguard::validate::regex_nfa
