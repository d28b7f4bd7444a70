#include "edgeguard/limit/gcra.hpp"

#include <gtest/gtest.h>

#include "harness.hpp"

namespace edgeguard::limit::test {
namespace {

Harness gcra(uint32_t limit, double window_ms, uint32_t burst = 0) {
  return Harness(config(Algorithm::gcra, limit, window_ms, burst));
}

TEST(Gcra, AllowsExactlyTheLimitAtOnceThenReportsTheWait) {
  Harness h = gcra(10, 1000);
  for (int i = 0; i < 10; ++i) {
    const Decision d = h.call(0);
    ASSERT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.remaining, 9 - i);
    EXPECT_EQ(d.reset_ms, 100 * (i + 1));
    EXPECT_EQ(d.retry_after_ms, 0);
  }
  const Decision d = h.call(0);  // limit + 1
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.remaining, 0);
  EXPECT_EQ(d.retry_after_ms, 100);
  EXPECT_EQ(d.reset_ms, 1000);
}

TEST(Gcra, OneUnitComesBackPerEmissionIntervalExactlyOnTime) {
  Harness h = gcra(10, 1000);
  EXPECT_EQ(h.drain(0), 10);
  EXPECT_FALSE(h.call(99).allowed);
  EXPECT_TRUE(h.call(100).allowed);
  EXPECT_FALSE(h.call(100).allowed);
}

TEST(Gcra, IsBackAtFullAllowanceExactlyAtReset) {
  Harness h = gcra(10, 1000);
  EXPECT_EQ(h.drain(0), 10);
  EXPECT_FALSE(h.full(999));
  EXPECT_TRUE(h.full(1000));
  EXPECT_EQ(h.peek(1000, 0).remaining, 10);
  EXPECT_EQ(h.drain(1000), 10);
}

TEST(Gcra, LimitsThatDoNotDivideTheWindowHaveExactBoundaries) {
  Harness h = gcra(3, 1000);  // one unit per 333.33 ms
  EXPECT_EQ(h.drain(0), 3);
  const Decision d = h.peek(0);
  EXPECT_EQ(d.retry_after_ms, 334);  // rounded up: waiting that long is enough
  EXPECT_FALSE(h.call(333).allowed);
  EXPECT_TRUE(h.call(334).allowed);
  EXPECT_TRUE(h.full(1334));
  Harness h2 = gcra(3, 1000);
  EXPECT_EQ(h2.drain(0), 3);
  EXPECT_FALSE(h2.full(999));
  EXPECT_TRUE(h2.full(1000));  // 3 x 333.33 is exactly 1000, not 1000.0000001
}

TEST(Gcra, CostGreaterThanOneConsumesThatManyUnits) {
  Harness h = gcra(10, 1000);
  Decision d = h.call(0, 4);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining, 6);
  EXPECT_EQ(d.reset_ms, 400);
  EXPECT_TRUE(h.call(0, 6).allowed);
  d = h.call(0, 3);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_ms, 300);
  EXPECT_FALSE(h.call(299, 3).allowed);
  EXPECT_TRUE(h.call(300, 3).allowed);
}

TEST(Gcra, BurstSetsTheCapacityIndependentlyOfTheRate) {
  Harness h = gcra(10, 1000, 2);  // 10 per second, at most 2 at once
  EXPECT_EQ(h.policy.capacity, 2u);
  EXPECT_EQ(h.drain(0), 2);
  EXPECT_EQ(h.peek(0).retry_after_ms, 100);
  EXPECT_TRUE(h.full(200));
  Harness big = gcra(1, 1000, 5);  // 1 per second, bursts of 5
  EXPECT_EQ(big.drain(0), 5);
  EXPECT_EQ(big.peek(0).reset_ms, 5000);
}

TEST(Gcra, AFrozenClockStillCountsEveryCall) {
  Harness h = gcra(5, 60000);
  EXPECT_EQ(h.drain(1'700'000'000'000.0), 5);
  EXPECT_EQ(h.peek(1'700'000'000'000.0).retry_after_ms, 12000);
}

TEST(Gcra, AClockSteppingBackGrantsNothing) {
  Harness h = gcra(2, 1000);
  EXPECT_EQ(h.drain(10'000), 2);
  EXPECT_FALSE(h.call(5'000).allowed);
  EXPECT_EQ(h.peek(5'000).retry_after_ms, 5500);  // measured from the stepped-back clock
}

TEST(Gcra, PenalizeGoesBeyondTheLimitAndRewardStopsAtFull) {
  Harness h = gcra(10, 1000);
  h.penalize(0, 15);
  EXPECT_EQ(h.peek(0, 0).remaining, 0);
  EXPECT_EQ(h.peek(0).retry_after_ms, 600);
  h.reward(0, 7);
  EXPECT_EQ(h.peek(0, 0).remaining, 2);
  h.reward(0, 100);
  EXPECT_TRUE(h.full(0));
  EXPECT_EQ(h.peek(0, 0).remaining, 10);
}

}  // namespace
}  // namespace edgeguard::limit::test
