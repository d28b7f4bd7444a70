#include "edgeguard/resilience/retry_options.hpp"

#include <gtest/gtest.h>

#include <string>

#include "option_refusals.hpp"

using namespace edgeguard::resilience;

namespace {

RetryConfig read(const std::string& text, uint64_t* seed = nullptr) {
  RetryConfig c;
  uint64_t s = 99;
  const OptionError e = read_retry_options(text.data(), text.size(), c, s);
  EXPECT_FALSE(e) << text << ": " << e.message();
  if (seed) *seed = s;
  return c;
}

OptionError refused(const std::string& text) {
  RetryConfig c;
  c.max_attempts = 7;
  uint64_t seed = 5;
  const OptionError e = read_retry_options(text.data(), text.size(), c, seed);
  EXPECT_EQ(c.max_attempts, 7u) << text << ": a refused text leaves the config alone";
  EXPECT_EQ(seed, 5u) << text;
  return e;
}

TEST(RetryOptions, AnEmptyObjectIsTheDefaults) {
  uint64_t seed = 1;
  const RetryConfig c = read("{}", &seed);
  const RetryConfig d;
  EXPECT_EQ(c.max_attempts, d.max_attempts);
  EXPECT_EQ(c.backoff.base_ms, 100u);
  EXPECT_EQ(c.backoff.max_ms, 10000u);
  EXPECT_EQ(c.backoff.jitter, Jitter::full);
  EXPECT_TRUE(c.use_budget);
  EXPECT_EQ(c.budget.ratio, 0.2);
  EXPECT_EQ(c.budget.min_per_second, 10);
  EXPECT_EQ(c.budget.window_ms, 10000u);
  EXPECT_EQ(c.budget.buckets, 10u);
  EXPECT_EQ(c.max_retry_after_ms, 10000u);
  EXPECT_EQ(seed, 0u);
}

TEST(RetryOptions, ReadsEveryOption) {
  uint64_t seed = 0;
  const RetryConfig c = read(R"({"maxAttempts":5,"baseMs":50,"maxMs":2000,"jitter":"decorrelated",
    "budget":{"ratio":0.5,"minPerSecond":2.5,"windowMs":6000,"buckets":3},"maxRetryAfterMs":30000,
    "seed":9007199254740991})", &seed);
  EXPECT_EQ(c.max_attempts, 5u);
  EXPECT_EQ(c.backoff.base_ms, 50u);
  EXPECT_EQ(c.backoff.max_ms, 2000u);
  EXPECT_EQ(c.backoff.jitter, Jitter::decorrelated);
  EXPECT_EQ(c.budget.ratio, 0.5);
  EXPECT_EQ(c.budget.min_per_second, 2.5);
  EXPECT_EQ(c.budget.window_ms, 6000u);
  EXPECT_EQ(c.budget.buckets, 3u);
  EXPECT_EQ(c.max_retry_after_ms, 30000u);
  EXPECT_EQ(seed, 9007199254740991u);
  EXPECT_FALSE(read(R"({"budget":false})").use_budget);
}

TEST(RetryOptions, DefaultsThatFollowFromOtherOptions) {
  EXPECT_EQ(read(R"({"baseMs":20000})").backoff.max_ms, 20000u) << "maxMs is at least baseMs";
  EXPECT_EQ(read(R"({"maxMs":500,"baseMs":10})").max_retry_after_ms, 500u) << "maxRetryAfterMs is maxMs";
  EXPECT_EQ(read(R"({"budget":{"windowMs":30000}})").budget.buckets, 30u) << "one-second buckets";
  EXPECT_EQ(read(R"({"budget":{"windowMs":1500}})").budget.buckets, 1u);
  EXPECT_EQ(read(R"({"budget":{"windowMs":7200000}})").budget.buckets, 1u) << "over an hour";
}

TEST(RetryOptions, RefusesEachRangeNamingItsOption) {
  expect_refusals(refused, uint32_t(Status::invalid_config), {
      {R"({"maxAttempts":0})", "maxAttempts", "option maxAttempts must be an integer from 1 to 100"},
      {R"({"maxAttempts":101})", "maxAttempts", "option maxAttempts must be an integer from 1 to 100"},
      {R"({"maxAttempts":"3"})", "maxAttempts", "option maxAttempts must be an integer from 1 to 100"},
      {R"({"baseMs":0})", "baseMs", "option baseMs must be an integer from 1 to 2147483647"},
      {R"({"baseMs":100,"maxMs":50})", "maxMs", "option maxMs must be an integer from baseMs to 2147483647"},
      {R"({"jitter":"random"})", "jitter", "option jitter must be one of 'none', 'full', 'equal', 'decorrelated'"},
      {R"({"budget":"yes"})", "budget", "option budget must be an object"},
      {R"({"budget":true})", "budget", "option budget must be an object"},
      {R"({"budget":{"ratio":-1}})", "budget.ratio", "option budget.ratio must be a number from 0 to 1000"},
      {R"({"budget":{"minPerSecond":null}})", "budget.minPerSecond",
       "option budget.minPerSecond must be a number from 0 to 1000000"},
      {R"({"budget":{"windowMs":0}})", "budget.windowMs", "option budget.windowMs must be an integer from 1 to 86400000"},
      {R"({"budget":{"windowMs":1000,"buckets":3}})", "budget.windowMs",
       "option budget.windowMs must be a multiple of budget.buckets"},
      {R"({"budget":{"buckets":3601}})", "budget.buckets", "option budget.buckets must be an integer from 1 to 3600"},
      {R"({"maxRetryAfterMs":2147483648})", "maxRetryAfterMs",
       "option maxRetryAfterMs must be an integer from 0 to 2147483647"},
      {R"({"seed":-1})", "seed", "option seed must be an integer from 0 to 9007199254740991"},
      {R"({"seed":1.5})", "seed", "option seed must be an integer from 0 to 9007199254740991"},
      {R"({"seed":9007199254740992})", "seed", "option seed must be an integer from 0 to 9007199254740991"},
      {"[]", "options", "options must be a well-formed JSON object"},
  });
}

TEST(RetryOptions, ABudgetOfFalseIsNotReadFurther) {
  EXPECT_FALSE(read(R"({"budget":false,"maxAttempts":2})").use_budget);
  const OptionError e = refused(R"({"budget":false,"maxAttempts":0})");
  EXPECT_EQ(e.option(), "maxAttempts");
}

}  // namespace
