#include "edgeguard/limit/token_bucket.hpp"

#include <gtest/gtest.h>

#include <random>

#include "harness.hpp"

namespace edgeguard::limit::test {
namespace {

Harness bucket(uint32_t limit, double window_ms, uint32_t burst = 0) {
  return Harness(config(Algorithm::token_bucket, limit, window_ms, burst));
}

TEST(TokenBucket, AllowsTheLimitThenRefillsOneTokenPerInterval) {
  Harness h = bucket(10, 1000);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(h.call(0).remaining, 9 - i);
  const Decision d = h.call(0);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_ms, 100);
  EXPECT_EQ(d.reset_ms, 1000);
  EXPECT_FALSE(h.call(99).allowed);
  EXPECT_TRUE(h.call(100).allowed);
}

TEST(TokenBucket, IsFullExactlyAtResetAndNeverOverfills) {
  Harness h = bucket(10, 1000);
  EXPECT_EQ(h.drain(0), 10);
  EXPECT_FALSE(h.full(999));
  EXPECT_TRUE(h.full(1000));
  EXPECT_EQ(h.drain(60'000), 10);  // a minute idle still holds only `limit` tokens
}

TEST(TokenBucket, CostAndBurst) {
  Harness h = bucket(4, 1000, 8);
  EXPECT_TRUE(h.call(0, 8).allowed);
  const Decision d = h.call(0, 2);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_ms, 500);
  EXPECT_EQ(d.reset_ms, 2000);
  EXPECT_TRUE(h.call(500, 2).allowed);
}

TEST(TokenBucket, AgreesWithGcraOnEveryCallOfARandomTrace) {
  for (uint32_t limit : {1u, 3u, 7u, 10u}) {
    Harness tb = bucket(limit, 1000, limit + 2);
    Harness g(config(Algorithm::gcra, limit, 1000, limit + 2));
    std::mt19937 rng(limit);
    double now = 0;
    for (int i = 0; i < 5000; ++i) {
      now += std::uniform_int_distribution<int>(0, 250)(rng);
      const double cost = std::uniform_int_distribution<int>(1, 3)(rng);
      const Decision a = tb.call(now, cost);
      const Decision b = g.call(now, cost);
      ASSERT_EQ(a.allowed, b.allowed) << "limit " << limit << " call " << i;
      ASSERT_EQ(a.remaining, b.remaining);
      ASSERT_EQ(a.reset_ms, b.reset_ms);
      ASSERT_EQ(a.retry_after_ms, b.retry_after_ms);
    }
  }
}

TEST(TokenBucket, AClockSteppingBackRefillsNothing) {
  Harness h = bucket(2, 1000);
  EXPECT_EQ(h.drain(10'000), 2);
  EXPECT_FALSE(h.call(5'000).allowed);
  EXPECT_FALSE(h.call(10'499).allowed);
  EXPECT_TRUE(h.call(10'500).allowed);
}

TEST(TokenBucket, PenalizeAndReward) {
  Harness h = bucket(10, 1000);
  h.penalize(0, 12);
  EXPECT_EQ(h.peek(0).retry_after_ms, 300);
  h.reward(0, 5);
  EXPECT_EQ(h.peek(0, 0).remaining, 3);
  h.reward(0, 50);
  EXPECT_TRUE(h.full(0));
}

}  // namespace
}  // namespace edgeguard::limit::test
