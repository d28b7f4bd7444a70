#include "edgeguard/json/limits_options.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace edgeguard::json;

namespace {

OptionError read(const std::string& text, Limits& out) { return read_limits_options(text.data(), text.size(), out); }

TEST(LimitsOptions, DefaultsWhereNoneIsGivenAndTheLimitsAskedElse) {
  Limits l{1, 1};
  ASSERT_FALSE(read("{}", l));
  EXPECT_EQ(l.max_bytes, kDefaultMaxBytes);
  EXPECT_EQ(l.max_depth, kDefaultMaxDepth);
  ASSERT_FALSE(read(R"({"maxBytes":0,"maxDepth":1048576})", l));
  EXPECT_EQ(l.max_bytes, 0u);
  EXPECT_EQ(l.max_depth, kMaxReaderDepth);
  ASSERT_FALSE(read(R"({"maxBytes":2147483647,"maxDepth":1})", l));
  EXPECT_EQ(l.max_bytes, kMaxReaderBytes);
  EXPECT_EQ(l.max_depth, 1u);
}

TEST(LimitsOptions, RefusesWhatIsNoLimitNamingTheOptionAndChangingNothing) {
  const struct {
    const char* text;
    const char* option;
  } cases[] = {
      {R"({"maxBytes":-1})", "maxBytes"},        {R"({"maxBytes":2147483648})", "maxBytes"},
      {R"({"maxBytes":1.5})", "maxBytes"},       {R"({"maxBytes":"10"})", "maxBytes"},
      {R"({"maxDepth":0})", "maxDepth"},         {R"({"maxDepth":1048577})", "maxDepth"},
      {R"({"maxDepth":true})", "maxDepth"},      {R"([1])", "options"},
  };
  for (const auto& c : cases) {
    Limits l{3, 4};
    const OptionError e = read(c.text, l);
    EXPECT_EQ(e.status, uint32_t(LimitsStatus::invalid)) << c.text;
    EXPECT_EQ(e.option(), c.option) << c.text;
    EXPECT_EQ(l.max_bytes, 3u) << c.text;
    EXPECT_EQ(l.max_depth, 4u) << c.text;
  }
}

}  // namespace
