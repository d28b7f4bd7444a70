#include "edgeguard/json/utf8.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using edgeguard::json::append_utf8;
using edgeguard::json::decode_utf8;
using edgeguard::json::is_utf8;

TEST(JsonUtf8, AppendsEachEncodedLength) {
  std::string out = "x";
  for (uint32_t cp : {0x41u, 0x7Fu, 0x80u, 0xE9u, 0x7FFu, 0x800u, 0x20ACu, 0xFFFFu, 0x10000u, 0x1F600u,
                      0x10FFFFu})
    append_utf8(out, cp);
  EXPECT_EQ(out,
            "x" "A" "\x7F" "\xC2\x80" "\xC3\xA9" "\xDF\xBF" "\xE0\xA0\x80" "\xE2\x82\xAC" "\xEF\xBF\xBF"
            "\xF0\x90\x80\x80" "\xF0\x9F\x98\x80" "\xF4\x8F\xBF\xBF");
}

TEST(JsonUtf8, AppendRoundTripsThroughDecode) {
  std::string text;
  std::vector<uint32_t> cps;
  for (uint32_t cp = 0; cp <= 0x10FFFF; cp += cp < 0x1000 ? 1 : 97) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    append_utf8(text, cp);
    cps.push_back(cp);
  }
  std::vector<uint32_t> back;
  ASSERT_TRUE(decode_utf8(text, &back));
  EXPECT_EQ(back, cps);
  EXPECT_TRUE(is_utf8(text));
}

TEST(JsonUtf8, IsUtf8IsStrict) {
  EXPECT_TRUE(is_utf8(""));
  EXPECT_TRUE(is_utf8("plain ascii"));
  EXPECT_TRUE(is_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_TRUE(is_utf8(std::string("a\0b", 3)));
  EXPECT_FALSE(is_utf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(is_utf8("ab\xED\xA0\x80"));    // encoded surrogate
  EXPECT_FALSE(is_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_utf8("\x80"));              // stray continuation
  EXPECT_FALSE(is_utf8("ok\xC3"));            // truncated
  EXPECT_FALSE(is_utf8("\xFF"));
}
