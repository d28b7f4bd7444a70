#include "edgeguard/json/options.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

using namespace edgeguard::json;

namespace {

constexpr uint32_t kInvalid = 7, kOutOfMemory = 9;

OptionReader reader(const std::string& text) {
  OptionReader r(kInvalid, kOutOfMemory);
  EXPECT_TRUE(r.parse(text.data(), text.size())) << text;
  return r;
}

TEST(OptionReader, FindsMembersByName) {
  const std::string text = R"({"a":1,"b":{"c":"x"}})";
  OptionReader r = reader(text);
  EXPECT_NE(r.member(OptionReader::root(), "a"), OptionReader::kNone);
  EXPECT_EQ(r.member(OptionReader::root(), "z"), OptionReader::kNone);
  EXPECT_EQ(r.member(OptionReader::kNone, "a"), OptionReader::kNone);
  EXPECT_NE(r.member(r.member(OptionReader::root(), "b"), "c"), OptionReader::kNone);
}

TEST(OptionReader, AValueOfTheWrongTypeReadsAsOneValidateRefuses) {
  const std::string text = R"({"n":"1","i":-1,"f":2.5,"big":4294967296,"ok":4294967295,"x":7.25})";
  OptionReader r = reader(text);
  uint32_t u = 5;
  r.integer(OptionReader::root(), "absent", u);
  EXPECT_EQ(u, 5u);
  for (const char* name : {"n", "i", "f", "big"}) {
    u = 5;
    r.integer(OptionReader::root(), name, u);
    EXPECT_EQ(u, OptionReader::kNotAnInteger) << name;
  }
  r.integer(OptionReader::root(), "ok", u);
  EXPECT_EQ(u, 4294967295u);
  double d = 1;
  r.number(OptionReader::root(), "x", d);
  EXPECT_EQ(d, 7.25);
  r.number(OptionReader::root(), "n", d);
  EXPECT_TRUE(std::isnan(d));
  EXPECT_FALSE(r.failed()) << "reading never refuses: validate() does";
}

TEST(OptionReader, TheFirstRefusalIsTheOneReported) {
  const std::string text = R"({"a":1,"b":2})";
  OptionReader r = reader(text);
  r.refuse("a", "two");
  r.refuse("b", "three");
  EXPECT_EQ(r.error().option(), "a");
  EXPECT_EQ(r.error().message(), "option a must be two");
  EXPECT_EQ(r.error().status, kInvalid);
  OptionReader q = reader(text);
  q.refuse(3, "c must be given");
  EXPECT_EQ(q.error().status, 3u);
  EXPECT_EQ(q.error().option(), "c");
  EXPECT_EQ(q.error().message(), "option c must be given");
  q.refuse(4, "d must be given");
  EXPECT_EQ(q.error().option(), "c");
  OptionReader s = reader(text);
  s.refuse(3, "weird refusal");
  EXPECT_EQ(s.error().message(), "option weird refusal");
  OptionReader t = reader(text);
  t.refuse_option(5, "policies.2.limit", "limit must be an integer");
  t.refuse("a", "two");
  EXPECT_EQ(t.error().status, 5u);
  EXPECT_EQ(t.error().option(), "policies.2.limit");
  EXPECT_EQ(t.error().message(), "limit must be an integer") << "as given";
}

TEST(OptionReader, ReadsArraysAndChoices) {
  const std::string text = R"({"list":[{"a":1},2,"x"],"c":"lru","d":"arc","e":3})";
  OptionReader r = reader(text);
  const uint32_t list = r.member(OptionReader::root(), "list");
  ASSERT_TRUE(r.is_array(list));
  EXPECT_EQ(r.size(list), 3u);
  const uint32_t first = r.first(list);
  EXPECT_TRUE(r.is_object(first));
  EXPECT_FALSE(r.is_object(r.next(first)));
  EXPECT_EQ(r.next(r.next(r.next(first))), OptionReader::kNone);
  const char* const names[] = {"tinylfu", "lru"};
  uint32_t k = 9;
  EXPECT_TRUE(r.choice(OptionReader::root(), "absent", names, 2, k));
  EXPECT_EQ(k, 9u) << "absent: left alone";
  EXPECT_TRUE(r.choice(OptionReader::root(), "c", names, 2, k));
  EXPECT_EQ(k, 1u);
  EXPECT_FALSE(r.choice(OptionReader::root(), "d", names, 2, k));
  EXPECT_FALSE(r.choice(OptionReader::root(), "e", names, 2, k)) << "a number is no name";
  EXPECT_FALSE(r.failed());
  r.choice(OptionReader::root(), "d", "d", names, 2, "one of tinylfu, lru", k);
  EXPECT_EQ(r.error().message(), "option d must be one of tinylfu, lru");
}

TEST(OptionReader, RefusesAnyTextButAnObjectWithinTheLimits) {
  for (const std::string& text : {std::string("[]"), std::string("\"x\""), std::string("{\"a\":[[[[1]]]]}"),
                                  "{\"a\":\"" + std::string(kMaxOptionsBytes, 'x') + "\"}"}) {
    OptionReader r(kInvalid, kOutOfMemory);
    EXPECT_FALSE(r.parse(text.data(), text.size())) << text.substr(0, 20);
    EXPECT_EQ(r.error().status, kInvalid);
    EXPECT_EQ(r.error().option(), "options");
    EXPECT_EQ(r.error().message(), "options must be a well-formed JSON object");
  }
}

}  // namespace
