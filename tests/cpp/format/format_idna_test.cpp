#include "edgeguard/format/format_idna.hpp"

#include <gtest/gtest.h>

namespace edgeguard::validate::idna {
namespace {

std::string encode(const std::u32string& s) {
  std::string out;
  EXPECT_TRUE(punycode_encode(s, &out));
  return out;
}

std::u32string decode(const std::string& s) {
  std::u32string out;
  EXPECT_TRUE(punycode_decode(s, &out)) << s;
  return out;
}

// RFC 3492 section 7.1 samples and common labels.
TEST(FormatIdna, PunycodeRoundTrips) {
  EXPECT_EQ(encode(U"b\u00fccher"), "bcher-kva");
  EXPECT_EQ(encode(U"\u4ed6\u4eec\u4e3a\u4ec0\u4e48\u4e0d\u8bf4\u4e2d\u6587"), "ihqwcrb4cv8a8dqg056pqjye");
  EXPECT_EQ(encode(U"\u0644\u064a\u0647\u0645\u0627\u0628\u062a\u0643\u0644\u0645\u0648\u0634\u0639\u0631\u0628\u064a\u061f"),
            "egbpdaj6bu4bxfgehfvwxn");
  EXPECT_EQ(encode(U"3\u5e74B\u7d44\u91d1\u516b\u5148\u751f"), "3B-ww4c5e180e575a65lsy2b");
  EXPECT_EQ(decode("bcher-kva"), U"b\u00fccher");
  EXPECT_EQ(decode("3B-ww4c5e180e575a65lsy2b"), U"3\u5e74B\u7d44\u91d1\u516b\u5148\u751f");
  EXPECT_EQ(encode(U"abc"), "abc");
}

TEST(FormatIdna, MalformedPunycodeIsRefused) {
  std::u32string out;
  for (const char* bad : {"X", "a-\x80", "99999999999", "zzzzzzzzzzzzzz", "-!"}) {
    out.clear();
    EXPECT_FALSE(punycode_decode(bad, &out)) << bad;
  }
}

TEST(FormatIdna, ALabelsMustBeCanonicalAndValid) {
  EXPECT_TRUE(is_domain("xn--bcher-kva.example", false));
  EXPECT_TRUE(is_domain("XN--BCHER-KVA.example", false));
  EXPECT_FALSE(is_domain("xn--abc-", false));  // decodes to ASCII only
  EXPECT_FALSE(is_domain("xn--ls8h", false));  // U+1F4A9 is not PVALID
  EXPECT_FALSE(is_domain("xn---9uc", false));  // re-encodes without the leading delimiter
  EXPECT_FALSE(is_domain("xn--", false));
}

TEST(FormatIdna, PlainNamesAndALabelsInAnyPosition) {
  EXPECT_TRUE(is_domain("Www.Example.COM", false));
  EXPECT_TRUE(is_domain("a.xn--bcher-kva", false));
  EXPECT_FALSE(is_domain("a.xn--zz", false));
  EXPECT_FALSE(is_domain("a.XN--", false));
  EXPECT_TRUE(is_domain("ab--cd.com", false));   // RFC 1123 allows it in host names
  EXPECT_FALSE(is_domain("ab--cd.com", true));   // reserved in IDNA2008 labels
  EXPECT_FALSE(is_domain("a_b.com", true));
  EXPECT_FALSE(is_domain("a\xe3\x80\x82", true));  // a trailing ideographic full stop
}

TEST(FormatIdna, ULabelRules) {
  EXPECT_TRUE(is_domain("b\xc3\xbc" "cher", true));
  EXPECT_FALSE(is_domain("B\xc3\x9c" "CHER", true));         // Ü is not PVALID (case folds)
  EXPECT_FALSE(is_domain("\xcc\x81" "a", true));             // starts with a combining mark
  EXPECT_FALSE(is_domain("ab--c\xc3\xa9", true));            // hyphens in positions 3 and 4
  EXPECT_TRUE(is_domain("l\xc2\xb7l", true));                // MIDDLE DOT between l's
  EXPECT_FALSE(is_domain("a\xc2\xb7l", true));
  EXPECT_FALSE(is_domain("a\xe2\x80\x8d" "b", true));        // ZWJ without virama
  EXPECT_FALSE(is_domain("\xd7\x90" "a", true));             // Bidi: R label with L
  EXPECT_TRUE(is_domain("\xd7\x90\xd7\x91.com", true));      // Bidi domain with an LTR label
}

TEST(FormatIdna, LengthsCountTheAsciiForm) {
  std::string label;
  for (int i = 0; i < 60; ++i) label += "\xc3\xbc";  // 60 x ü: an A-label above 63 octets
  EXPECT_FALSE(is_domain(label, true));
  EXPECT_FALSE(is_domain("", true));
  EXPECT_FALSE(is_domain("a.", true));
  EXPECT_FALSE(is_domain(".a", true));
}

}  // namespace
}  // namespace edgeguard::validate::idna
