#include "edgeguard/limit/sliding_window.hpp"

#include <gtest/gtest.h>

#include "harness.hpp"

namespace edgeguard::limit::test {
namespace {

Harness sliding(uint32_t limit, double window_ms) {
  return Harness(config(Algorithm::sliding_window, limit, window_ms));
}

TEST(SlidingWindow, AllowsTheLimitInTheFirstWindow) {
  Harness h = sliding(10, 1000);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(h.call(0).remaining, 9 - i);
  const Decision d = h.call(0);
  EXPECT_FALSE(d.allowed);
  // Nothing comes back until the next window starts, and there the weight of these 10 calls
  // must fall to 9: 10 * (1000 - e) / 1000 <= 9 at e = 100.
  EXPECT_EQ(d.retry_after_ms, 1100);
  EXPECT_EQ(d.reset_ms, 2000);
}

TEST(SlidingWindow, ThePreviousWindowSlidesOutLinearly) {
  Harness h = sliding(10, 1000);
  EXPECT_EQ(h.drain(0), 10);
  EXPECT_FALSE(h.call(1099).allowed);  // weight 10 * 0.901 = 9.01: 9.01 + 1 > 10
  EXPECT_TRUE(h.call(1100).allowed);   // exactly 9 + 1
  EXPECT_FALSE(h.call(1100).allowed);
  // Now prev = 10, curr = 1: the next unit needs 10 * (1000 - e) <= 8 * 1000, e = 200.
  EXPECT_EQ(h.peek(1100).retry_after_ms, 100);
  EXPECT_TRUE(h.call(1200).allowed);
}

TEST(SlidingWindow, HasNoDoubleBurstAtTheBoundary) {
  Harness h = sliding(5, 1000);
  EXPECT_EQ(h.drain(999), 5);
  EXPECT_EQ(h.drain(1000), 0);  // a fixed window would allow 5 more here
  EXPECT_EQ(h.drain(1500), 2);  // 5 * 0.5 = 2.5 weighted: 2 whole units fit
}

TEST(SlidingWindow, IsFullExactlyWhenBothWindowsAreEmpty) {
  Harness h = sliding(5, 1000);
  EXPECT_TRUE(h.call(400).allowed);
  EXPECT_EQ(h.peek(400, 0).reset_ms, 1600);  // end of the next window
  EXPECT_FALSE(h.full(1999));
  EXPECT_TRUE(h.full(2000));
  EXPECT_EQ(h.drain(2000), 5);
}

TEST(SlidingWindow, CostGreaterThanOne) {
  Harness h = sliding(10, 1000);
  EXPECT_TRUE(h.call(0, 6).allowed);
  Decision d = h.call(0, 5);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.remaining, 4);
  // In the next window: 6 * (1000 - e) <= 5 * 1000 -> e >= 166.67 -> 167.
  EXPECT_EQ(d.retry_after_ms, 1167);
  EXPECT_FALSE(h.call(1166, 5).allowed);
  EXPECT_TRUE(h.call(1167, 5).allowed);
}

TEST(SlidingWindow, AClockSteppingBackStaysInTheNewestWindow) {
  Harness h = sliding(3, 1000);
  EXPECT_EQ(h.drain(5'000), 3);
  EXPECT_FALSE(h.call(1'000).allowed);
}

TEST(SlidingWindow, PenalizeAndRewardTouchTheCurrentWindowFirst) {
  Harness h = sliding(10, 1000);
  EXPECT_TRUE(h.call(0, 4).allowed);
  h.penalize(1000, 3);  // prev 4, curr 3
  EXPECT_EQ(h.peek(1000, 0).remaining, 3);
  h.reward(1000, 5);  // curr 0, prev 2
  EXPECT_EQ(h.peek(1000, 0).remaining, 8);
  EXPECT_EQ(h.peek(1500, 0).remaining, 9);
  h.reward(1500, 5);
  EXPECT_TRUE(h.full(1500));
}

}  // namespace
}  // namespace edgeguard::limit::test
