#include "edgeguard/resilience/retry_budget.hpp"

#include <gtest/gtest.h>

using namespace edgeguard::resilience;

namespace {

BudgetConfig config(double ratio, double min_per_second, uint32_t window_ms = 10'000, uint32_t buckets = 10) {
  BudgetConfig c;
  c.ratio = ratio;
  c.min_per_second = min_per_second;
  c.window_ms = window_ms;
  c.buckets = buckets;
  return c;
}

TEST(RetryBudget, RetriesAreARatioOfCalls) {
  RetryBudget b(config(0.5, 0, 1'000, 1));
  EXPECT_FALSE(b.try_retry(0));  // no calls yet, no reserve
  for (int i = 0; i < 4; ++i) b.on_call(0);
  EXPECT_TRUE(b.try_retry(0));
  EXPECT_TRUE(b.try_retry(0));
  EXPECT_FALSE(b.try_retry(0));
  EXPECT_EQ(b.exhausted(), 2u);
  EXPECT_DOUBLE_EQ(b.balance(0), 0);
}

TEST(RetryBudget, FractionalRatiosReachWholeRetries) {
  RetryBudget b(config(0.1, 0, 1'000, 1));
  for (int i = 0; i < 10; ++i) b.on_call(0);
  EXPECT_TRUE(b.try_retry(0));  // 10 * 0.1 is one retry despite rounding
  EXPECT_FALSE(b.try_retry(0));
}

TEST(RetryBudget, MinPerSecondIsAReserveOverTheWindow) {
  RetryBudget b(config(0, 2, 5'000, 5));
  int granted = 0;
  while (b.try_retry(0)) ++granted;
  EXPECT_EQ(granted, 10);
  EXPECT_FALSE(b.try_retry(4'999));
  EXPECT_TRUE(b.try_retry(5'000));  // the retries at t=0 left the window
}

TEST(RetryBudget, OldCallsLeaveTheWindow) {
  RetryBudget b(config(1, 0, 1'000, 1));
  b.on_call(0);
  EXPECT_FALSE(b.try_retry(1'000));  // the call is no longer recent
}

TEST(RetryBudget, CapsRetriesDuringASimulatedOutage) {
  // 100 calls a second for 60 s, every one failing and asking for 2 retries (maxAttempts 3).
  RetryBudget b(config(0.2, 1, 10'000, 10));
  uint64_t granted = 0, asked = 0;
  for (int64_t now = 0; now < 60'000; now += 10) {
    b.on_call(now);
    for (int r = 0; r < 2; ++r) {
      ++asked;
      if (b.try_retry(now)) ++granted;
    }
    const BudgetCounts& c = b.counts(now);
    ASSERT_LE(c.retries, c.calls * 0.2 + 10 + 1e-9) << "at " << now;
  }
  // Without a budget the backend would take 3x its traffic; with it, 1.2x plus the reserve.
  EXPECT_EQ(asked, 12'000u);
  EXPECT_GE(granted, 1'200u);
  EXPECT_LE(granted, 1'300u);
  EXPECT_EQ(b.exhausted(), asked - granted);
}

TEST(RetryBudget, ValidateRejectsBadConfigs) {
  EXPECT_FALSE(validate(BudgetConfig{}));
  EXPECT_EQ(validate(config(-0.1, 0)).status, Status::invalid_config);
  EXPECT_EQ(validate(config(0.1, -1)).status, Status::invalid_config);
  EXPECT_EQ(validate(config(0.1, 1, 0, 1)).status, Status::invalid_config);
  EXPECT_EQ(validate(config(0.1, 1, 1'000, 3)).status, Status::invalid_config);
}

}  // namespace
