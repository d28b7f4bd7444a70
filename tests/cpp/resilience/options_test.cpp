#include "edgeguard/resilience/options.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

using namespace edgeguard::resilience;

namespace {

OptionReader reader(const std::string& text) {
  OptionReader r;
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
  OptionReader q = reader(text);
  q.refuse(fail(Status::invalid_config, "c must be given"));
  EXPECT_EQ(q.error().option(), "c");
  EXPECT_EQ(q.error().message(), "option c must be given");
  OptionReader s = reader(text);
  s.refuse(fail(Status::invalid_config, "weird refusal"));
  EXPECT_EQ(s.error().message(), "option weird refusal");
  s.refuse(Check{});
  EXPECT_EQ(s.error().message(), "option weird refusal") << "a passed check refuses nothing";
}

TEST(OptionReader, RefusesAnyTextButAnObjectWithinTheLimits) {
  for (const std::string& text : {std::string("[]"), std::string("\"x\""), std::string("{\"a\":[[[[1]]]]}"),
                                  "{\"a\":\"" + std::string(kMaxOptionsBytes, 'x') + "\"}"}) {
    OptionReader r;
    EXPECT_FALSE(r.parse(text.data(), text.size())) << text.substr(0, 20);
    EXPECT_EQ(r.error().message(), "options must be a well-formed JSON object");
  }
}

}  // namespace
