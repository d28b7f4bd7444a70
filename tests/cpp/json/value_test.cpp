#include "edgeguard/json/value.hpp"

#include <gtest/gtest.h>

#include <string>

using edgeguard::json::Limits;
using edgeguard::json::Status;
using edgeguard::json::Value;

namespace {

Value parsed(const std::string& text) {
  Value v;
  const edgeguard::json::Error e = edgeguard::json::parse(text, Limits{}, v);
  EXPECT_FALSE(e) << text << ": " << e.message;
  return v;
}

TEST(JsonValue, DecodesScalarsStringsAndArrays) {
  const Value v = parsed(R"([null, true, false, "a\n\u00e9\ud83d\ude00", -12.5e1, []])");
  ASSERT_TRUE(v.is_array());
  ASSERT_EQ(v.size(), 6u);
  EXPECT_TRUE(v[0].is_null());
  EXPECT_TRUE(v[1].is_boolean() && v[1].boolean());
  EXPECT_TRUE(v[2].is_boolean() && !v[2].boolean());
  EXPECT_EQ(v[3], "a\n\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(v[4].number(), -125.0);
  EXPECT_EQ(v[4].text(), "-12.5e1");  // as written
  EXPECT_TRUE(v[5].is_array() && v[5].empty());
}

// nlohmann's std::map order, which compiled programs follow: by name, bytewise, one per name.
TEST(JsonValue, HoldsMembersSortedByNameTheLastOfOneNameWinning) {
  const Value v = parsed(R"({"b": 1, "a": {"z": 0, "\u00e9": 1, "Z": 2}, "b": 2, "": 3, "b": 3})");
  ASSERT_TRUE(v.is_object());
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v.name(0), "");
  EXPECT_EQ(v.name(1), "a");
  EXPECT_EQ(v.name(2), "b");
  EXPECT_EQ(v.find("b")->text(), "3");
  const Value& a = *v.find("a");
  EXPECT_EQ(a.name(0), "Z");
  EXPECT_EQ(a.name(1), "z");
  EXPECT_EQ(a.name(2), "\xC3\xA9");
  EXPECT_EQ(v.find("c"), nullptr);
  EXPECT_EQ(v.find("a")->find("Z")->number(), 2);
  EXPECT_EQ(v[1].find("b"), nullptr);  // an object's member that is no object
  EXPECT_EQ(parsed("[1]").find("0"), nullptr);
  EXPECT_EQ(parsed(R"({"k\u0061": 1})").find("ka")->number(), 1);  // names are decoded
}

TEST(JsonValue, TellsIntegersAsNlohmannDid) {
  const Value v = parsed(R"([0, -0, 7, -7, 1.0, 1e2, 18446744073709551615, 18446744073709551616,
                             -9223372036854775808, -9223372036854775809])");
  EXPECT_TRUE(v[0].is_unsigned());
  EXPECT_TRUE(v[1].is_integer() && !v[1].is_unsigned());  // "-0": a negative integer
  EXPECT_TRUE(v[2].is_unsigned());
  EXPECT_TRUE(v[3].is_integer() && !v[3].is_unsigned());
  EXPECT_FALSE(v[4].is_integer());
  EXPECT_FALSE(v[5].is_integer());
  EXPECT_TRUE(v[6].is_unsigned());
  EXPECT_FALSE(v[7].is_integer());  // beyond 64 bits: a double
  EXPECT_EQ(v[7].number(), 18446744073709551616.0);
  EXPECT_TRUE(v[8].is_integer());
  EXPECT_FALSE(v[9].is_integer());
}

TEST(JsonValue, ReadsNumbersCorrectlyRounded) {
  const Value v = parsed("[0.1, 2.2250738585072011e-308, 9007199254740993, 1.7976931348623157e308, 1e-400]");
  EXPECT_EQ(v[0].number(), 0.1);
  EXPECT_EQ(v[1].number(), 2.2250738585072011e-308);
  EXPECT_EQ(v[2].number(), 9007199254740992.0);
  EXPECT_EQ(v[3].number(), 1.7976931348623157e308);
  EXPECT_EQ(v[4].number(), 0.0);  // underflow is a number (nlohmann took it too)
}

TEST(JsonValue, RefusesNumbersNoDoubleHolds) {
  for (const char* text : {"1e400", "[-1e309]", R"({"a": 1, "b": 1e999})"}) {
    Value v;
    const edgeguard::json::Error e = edgeguard::json::parse(text, Limits{}, v);
    EXPECT_EQ(e.status, Status::malformed) << text;
  }
  Value v;
  EXPECT_EQ(edgeguard::json::parse(R"({"a": 1e400})", Limits{}, v).offset, 6u);
}

TEST(JsonValue, KeepsReadersErrorsAndLimits) {
  Value v;
  EXPECT_EQ(edgeguard::json::parse("[[[1]]]", Limits{100, 2}, v).status, Status::too_deep);
  EXPECT_FALSE(edgeguard::json::parse("[[1]]", Limits{100, 2}, v));
  EXPECT_EQ(edgeguard::json::parse("[1,]", Limits{}, v).status, Status::malformed);
  EXPECT_EQ(edgeguard::json::parse("\"\xC0\x80\"", Limits{}, v).status, Status::bad_utf8);
}

TEST(JsonValue, ComparesAsJsonValues) {
  EXPECT_EQ(parsed(R"({"a": [1, "x", null], "b": true})"), parsed(R"({"b": true, "a": [1.0, "x", null]})"));
  EXPECT_EQ(parsed("0"), parsed("-0"));
  EXPECT_EQ(parsed("100"), parsed("1e2"));
  EXPECT_EQ(parsed("18446744073709551615"), parsed("18446744073709551615"));
  EXPECT_NE(parsed("9007199254740993"), parsed("9007199254740992"));  // integers digit for digit
  EXPECT_NE(parsed("[1, 2]"), parsed("[2, 1]"));
  EXPECT_NE(parsed(R"({"a": 1})"), parsed(R"({"a": 1, "b": 1})"));
  EXPECT_NE(parsed("1"), parsed("true"));
  EXPECT_NE(parsed(R"("1")"), parsed("1"));
  EXPECT_NE(parsed("[]"), parsed("{}"));
}

TEST(JsonValue, ErasesAMember) {
  Value v = parsed(R"({"$id": "urn:x", "type": "string"})");
  v.erase("$id");
  v.erase("missing");
  EXPECT_EQ(v, parsed(R"({"type": "string"})"));
}

}  // namespace
