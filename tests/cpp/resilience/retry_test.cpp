#include "edgeguard/resilience/retry.hpp"

#include <gtest/gtest.h>

using namespace edgeguard::resilience;

namespace {

RetryConfig config(uint32_t max_attempts, bool budget = false) {
  RetryConfig c;
  c.max_attempts = max_attempts;
  c.backoff.base_ms = 100;
  c.backoff.max_ms = 1'000;
  c.backoff.jitter = Jitter::none;
  c.use_budget = budget;
  c.max_retry_after_ms = 5'000;
  return c;
}

TEST(Retry, StopsAfterMaxAttempts) {
  Retry r(config(3), 1);
  EXPECT_EQ(r.next_delay(0, 1, 0, -1), 100);
  EXPECT_EQ(r.next_delay(0, 2, 100, -1), 200);
  EXPECT_EQ(r.next_delay(0, 3, 200, -1), static_cast<int64_t>(Stop::max_attempts));
}

TEST(Retry, OneAttemptNeverRetries) {
  Retry r(config(1), 1);
  EXPECT_EQ(r.next_delay(0, 1, 0, -1), static_cast<int64_t>(Stop::max_attempts));
}

TEST(Retry, HonoursRetryAfterUpToTheLimit) {
  Retry r(config(5), 1);
  EXPECT_EQ(r.next_delay(0, 1, 0, 3'000), 3'000);
  EXPECT_EQ(r.next_delay(0, 2, 3'000, 0), 0);
  EXPECT_EQ(r.next_delay(0, 3, 0, 5'000), 5'000);
  EXPECT_EQ(r.next_delay(0, 3, 0, 5'001), static_cast<int64_t>(Stop::retry_after_too_long));
}

TEST(Retry, StopsWhenTheBudgetIsSpent) {
  RetryConfig c = config(10, true);
  c.budget.ratio = 0.5;
  c.budget.min_per_second = 0;
  c.budget.window_ms = 1'000;
  c.budget.buckets = 1;
  Retry r(c, 1);
  r.on_call(0);
  r.on_call(0);
  EXPECT_EQ(r.next_delay(0, 1, 0, -1), 100);
  EXPECT_EQ(r.next_delay(0, 2, 100, -1), static_cast<int64_t>(Stop::budget_exhausted));
  ASSERT_NE(r.budget(), nullptr);
  EXPECT_EQ(r.budget()->exhausted(), 1u);
}

TEST(Retry, NoBudgetMeansNoBudgetLimit) {
  Retry r(config(100), 1);
  EXPECT_EQ(r.budget(), nullptr);
  for (uint32_t a = 1; a < 100; ++a) EXPECT_GE(r.next_delay(0, a, 0, -1), 100);
}

TEST(Retry, ValidateRejectsBadConfigs) {
  EXPECT_FALSE(validate(config(3)));
  EXPECT_EQ(validate(config(0)).status, Status::invalid_config);
  EXPECT_EQ(validate(config(101)).status, Status::invalid_config);
  RetryConfig c = config(3, true);
  c.budget.buckets = 0;
  EXPECT_EQ(validate(c).status, Status::invalid_config);
}

}  // namespace
