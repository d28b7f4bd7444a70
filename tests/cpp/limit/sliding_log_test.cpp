#include "edgeguard/limit/sliding_log.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <random>

#include "harness.hpp"

namespace edgeguard::limit::test {
namespace {

Harness slog(uint32_t limit, double window_ms) {
  return Harness(config(Algorithm::sliding_log, limit, window_ms));
}

TEST(SlidingLog, AllowsTheLimitWithinAnySlidingWindow) {
  Harness h = slog(3, 1000);
  EXPECT_TRUE(h.call(0).allowed);
  EXPECT_TRUE(h.call(300).allowed);
  const Decision third = h.call(600);
  EXPECT_TRUE(third.allowed);
  EXPECT_EQ(third.remaining, 0);
  EXPECT_EQ(third.reset_ms, 1000);  // the newest unit leaves at 1600
  const Decision d = h.call(700);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_ms, 300);  // the oldest unit leaves at 1000
}

TEST(SlidingLog, AUnitLeavesExactlyWindowMsAfterItCame) {
  Harness h = slog(3, 1000);
  EXPECT_EQ(h.drain(0), 3);
  EXPECT_FALSE(h.call(999).allowed);
  EXPECT_FALSE(h.full(999));
  EXPECT_TRUE(h.full(1000));
  EXPECT_EQ(h.drain(1000), 3);
}

TEST(SlidingLog, HasNoDoubleBurstAtAnyBoundary) {
  Harness h = slog(5, 1000);
  EXPECT_EQ(h.drain(999), 5);
  EXPECT_EQ(h.drain(1000), 0);
  EXPECT_EQ(h.drain(1998), 0);
  EXPECT_EQ(h.drain(1999), 5);
}

TEST(SlidingLog, CostGreaterThanOneWaitsForEnoughUnitsToLeave) {
  Harness h = slog(5, 1000);
  EXPECT_TRUE(h.call(0, 2).allowed);
  EXPECT_TRUE(h.call(100, 2).allowed);
  const Decision d = h.call(200, 3);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.remaining, 1);
  EXPECT_EQ(d.retry_after_ms, 800);  // both units of the call at 0 must leave
  EXPECT_FALSE(h.call(999, 3).allowed);
  EXPECT_TRUE(h.call(1000, 3).allowed);
}

TEST(SlidingLog, ARingLongerThanTheLimitIsNeverNeeded) {
  Harness h = slog(4, 1000);
  EXPECT_EQ(h.policy.words, 2u + 4u);
  for (int t = 0; t < 20'000; t += 250) EXPECT_TRUE(h.call(t).allowed) << t;
  EXPECT_FALSE(h.call(19'750).allowed);
}

TEST(SlidingLog, PenaltiesBeyondTheLimitKeepTheNewestUnits) {
  Harness h = slog(3, 1000);
  EXPECT_TRUE(h.call(0).allowed);
  h.penalize(500, 1'000'000);  // bounded: at most `limit` timestamps are written
  EXPECT_FALSE(h.call(1000).allowed);
  EXPECT_EQ(h.peek(1000).retry_after_ms, 500);
  h.reward(1000, 2);
  EXPECT_EQ(h.peek(1000, 0).remaining, 2);
}

TEST(SlidingLog, AClockSteppingBackExpiresNothing) {
  Harness h = slog(2, 1000);
  EXPECT_EQ(h.drain(10'000), 2);
  EXPECT_FALSE(h.call(0).allowed);
  EXPECT_TRUE(h.call(11'000).allowed);
}

TEST(SlidingLog, MatchesAnUnboundedExactLogOnARandomTrace) {
  Harness h = slog(7, 1000);
  std::deque<double> log;  // every allowed unit, never trimmed below the window
  std::mt19937 rng(5);
  double now = 0;
  for (int i = 0; i < 20'000; ++i) {
    now += std::uniform_int_distribution<int>(0, 120)(rng);
    const int cost = std::uniform_int_distribution<int>(1, 3)(rng);
    while (!log.empty() && log.front() + 1000 <= now) log.pop_front();
    const bool expected = log.size() + cost <= 7;
    const Decision d = h.call(now, cost);
    ASSERT_EQ(d.allowed, expected) << "call " << i << " at " << now;
    if (expected) log.insert(log.end(), cost, now);
    if (!expected) {
      // The promised wait is exact: just before it still rejected, at it allowed.
      const size_t k = log.size() + cost - 7;
      ASSERT_EQ(d.retry_after_ms, log[k - 1] + 1000 - now);
    }
  }
}

}  // namespace
}  // namespace edgeguard::limit::test
