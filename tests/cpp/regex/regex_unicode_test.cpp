#include "edgeguard/regex/regex_unicode.hpp"

#include <gtest/gtest.h>

namespace edgeguard::validate {
namespace {

CharSet property(const char* body) {
  CharSet s;
  EXPECT_TRUE(unicode_property(body, &s)) << body;
  return s;
}

TEST(RegexUnicode, GeneralCategoriesAndTheirAliases) {
  EXPECT_TRUE(property("Lu").contains('A'));
  EXPECT_FALSE(property("Lu").contains('a'));
  EXPECT_TRUE(property("Uppercase_Letter") == property("Lu"));
  EXPECT_TRUE(property("gc=Lu") == property("Lu"));
  EXPECT_TRUE(property("General_Category=Lu") == property("Lu"));
  EXPECT_TRUE(property("digit") == property("Nd"));
  EXPECT_TRUE(property("punct") == property("P"));
  EXPECT_TRUE(property("Combining_Mark") == property("M"));
  CharSet letters = property("Lu");
  for (const char* part : {"Ll", "Lt", "Lm", "Lo"}) letters.add(property(part));
  EXPECT_TRUE(letters == property("L"));
  EXPECT_TRUE(property("Nd").contains(0x0967));  // DEVANAGARI DIGIT ONE
  EXPECT_TRUE(property("Zs").contains(0x3000));
  EXPECT_TRUE(property("Cn").contains(0x0378));  // unassigned
  EXPECT_TRUE(property("Co").contains(0xE000));
  EXPECT_TRUE(property("Cs").contains(0xD800));
}

TEST(RegexUnicode, ScriptsByLongAndShortName) {
  EXPECT_TRUE(property("Script=Greek").contains(0x03B1));
  EXPECT_TRUE(property("sc=Grek") == property("Script=Greek"));
  EXPECT_TRUE(property("Script=Latin").contains('a'));
  EXPECT_FALSE(property("Script=Latin").contains('1'));  // digits are Common
  EXPECT_TRUE(property("sc=Zyyy").contains('1'));
  EXPECT_TRUE(property("sc=Cyrl").contains(0x0436));
  EXPECT_TRUE(property("sc=Han").contains(0x4E08));
  EXPECT_TRUE(property("sc=Hira").contains(0x3041));
}

TEST(RegexUnicode, ScriptExtensionsIncludeSharedCharacters) {
  // U+0483 COMBINING CYRILLIC TITLO: Script=Cyrillic; Script_Extensions={Cyrillic, Old_Permic}.
  EXPECT_TRUE(property("scx=Perm").contains(0x0483));
  EXPECT_FALSE(property("sc=Perm").contains(0x0483));
  EXPECT_TRUE(property("Script_Extensions=Cyrillic").contains(0x0483));
  // U+3001 IDEOGRAPHIC COMMA: Script=Common, but used by Han, Hiragana, Katakana and others.
  EXPECT_TRUE(property("scx=Hira").contains(0x3001));
  EXPECT_TRUE(property("scx=Han").contains(0x3001));
  EXPECT_FALSE(property("scx=Latn").contains(0x3001));
  EXPECT_TRUE(property("scx=Latin").contains('a'));
  CharSet latin = property("sc=Latin");
  latin.add(property("scx=Latin"));
  EXPECT_TRUE(latin == property("scx=Latin"));  // extensions only add
}

TEST(RegexUnicode, BinaryProperties) {
  EXPECT_TRUE(property("Alphabetic").contains(0x00E9));
  EXPECT_TRUE(property("Alpha") == property("Alphabetic"));
  EXPECT_TRUE(property("White_Space").contains(0x2028));
  EXPECT_TRUE(property("ASCII_Hex_Digit").contains('F'));
  EXPECT_FALSE(property("ASCII_Hex_Digit").contains('g'));
  EXPECT_TRUE(property("Any").contains(0x10FFFF));
  EXPECT_FALSE(property("Assigned").contains(0x0378));
  EXPECT_TRUE(property("Emoji").contains(0x1F432));
  EXPECT_TRUE(property("space") == property("White_Space"));
  EXPECT_TRUE(property("WSpace") == property("White_Space"));
  EXPECT_TRUE(property("Extended_Pictographic").contains(0x1F600));
  EXPECT_TRUE(property("ExtPict") == property("Extended_Pictographic"));
  EXPECT_TRUE(property("Ideographic").contains(0x4E08));
  EXPECT_TRUE(property("Math").contains('+'));
  EXPECT_TRUE(property("RI").contains(0x1F1EB));
  CharSet s;
  EXPECT_FALSE(unicode_property("Changes_When_Casefolded", &s));  // not carried: refused
}

TEST(RegexUnicode, UnknownNamesAreRefused) {
  CharSet s;
  for (const char* bad : {"", "L&", "letter", "Script=", "Script=Klingon", "Foo=Lu", "gc=Greek",
                          "Script_Extensions=Klingon", "Block=Basic_Latin"}) {
    EXPECT_FALSE(unicode_property(bad, &s)) << bad;
  }
}

TEST(RegexUnicode, EcmascriptClassEscapes) {
  EXPECT_TRUE(whitespace_set().contains(0xFEFF));
  EXPECT_FALSE(whitespace_set().contains(0x200B));
  EXPECT_TRUE(word_set().contains('_'));
  EXPECT_FALSE(word_set().contains(0xE9));
  EXPECT_TRUE(digit_set() == CharSet::range('0', '9'));
}

TEST(RegexUnicode, IdentifierCharacters) {
  EXPECT_TRUE(is_identifier_start('$'));
  EXPECT_TRUE(is_identifier_start(0x00E9));
  EXPECT_FALSE(is_identifier_start('1'));
  EXPECT_TRUE(is_identifier_part('1'));
  EXPECT_TRUE(is_identifier_part(0x200D));  // ZWJ
  EXPECT_FALSE(is_identifier_part('-'));
}

}  // namespace
}  // namespace edgeguard::validate
