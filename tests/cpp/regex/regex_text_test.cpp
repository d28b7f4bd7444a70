#include "edgeguard/regex/regex_text.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace edgeguard::validate::text {
namespace {

uint32_t at(std::string_view s, size_t pos, size_t* n) {
  return decode(reinterpret_cast<const uint8_t*>(s.data()), s.size(), pos, n);
}

TEST(RegexText, DecodesUtf8) {
  size_t n = 0;
  EXPECT_EQ(at("a", 0, &n), uint32_t('a'));
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(at("\xc3\xa9", 0, &n), 0xE9u);
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(at("\xe2\x82\xac", 0, &n), 0x20ACu);
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(at("\xf0\x9f\x90\xb2", 0, &n), 0x1F432u);
  EXPECT_EQ(n, 4u);
  EXPECT_EQ(at("ab", 2, &n), kNone);
  EXPECT_EQ(n, 0u);
}

TEST(RegexText, InvalidBytesReadAsReplacementOneByteAtATime) {
  size_t n = 0;
  for (std::string_view bad : {"\xff", "\x80", "\xc3", "\xe2\x82", "\xf0\x9f\x90", "\xc0\xaf",
                               "\xe0\x80\xaf", "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80"}) {
    EXPECT_EQ(at(bad, 0, &n), kReplacement) << bad.size();
    EXPECT_EQ(n, 1u);
  }
}

TEST(RegexText, EncodedSurrogatesReadAsThemselves) {
  size_t n = 0;
  EXPECT_EQ(at("\xed\xa0\x80", 0, &n), 0xD800u);
  EXPECT_EQ(n, 3u);
}

TEST(RegexText, CodePointBefore) {
  const auto* p = reinterpret_cast<const uint8_t*>("a\xc3\xa9");
  EXPECT_EQ(decode_before(p, 0), kNone);
  EXPECT_EQ(decode_before(p, 1), uint32_t('a'));
  EXPECT_EQ(decode_before(p, 3), kReplacement);  // non-ASCII: never a word character
}

}  // namespace
}  // namespace edgeguard::validate::text
