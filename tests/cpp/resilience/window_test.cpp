#include "edgeguard/resilience/window.hpp"

#include <gtest/gtest.h>

using namespace edgeguard::resilience;

namespace {

WindowConfig count_window(uint32_t size) {
  WindowConfig c;
  c.type = WindowType::count;
  c.size = size;
  return c;
}

WindowConfig time_window(uint32_t window_ms, uint32_t buckets) {
  WindowConfig c;
  c.type = WindowType::time;
  c.window_ms = window_ms;
  c.buckets = buckets;
  return c;
}

TEST(Window, CountWindowKeepsTheLastNCalls) {
  Window w(count_window(3));
  w.record(0, true, false);
  w.record(0, true, true);
  EXPECT_EQ(w.totals(0).calls, 2u);
  EXPECT_EQ(w.totals(0).failures, 2u);
  EXPECT_EQ(w.totals(0).slow, 1u);
  EXPECT_EQ(w.totals(0).slow_failures, 1u);
  w.record(0, false, false);
  w.record(0, false, false);  // evicts the first failure
  EXPECT_EQ(w.totals(0).calls, 3u);
  EXPECT_EQ(w.totals(0).failures, 1u);
  w.record(0, false, false);  // evicts the slow failure
  EXPECT_EQ(w.totals(0).failures, 0u);
  EXPECT_EQ(w.totals(0).slow, 0u);
  EXPECT_EQ(w.totals(0).slow_failures, 0u);
}

TEST(Window, CountWindowIgnoresTime) {
  Window w(count_window(2));
  w.record(0, true, false);
  EXPECT_EQ(w.totals(1'000'000'000).failures, 1u);
}

TEST(Window, CountWindowListsCallsOldestFirstAndRestoresThem) {
  Window w(count_window(3));
  for (int i = 0; i < 4; ++i) w.record(0, i % 2 == 1, i == 3);
  EXPECT_EQ(w.calls(), (std::vector<uint8_t>{1, 0, 3}));
  Window copy(count_window(3));
  copy.restore_calls(w.calls());
  EXPECT_EQ(copy.calls(), w.calls());
  EXPECT_EQ(copy.totals(0).failures, 2u);
  EXPECT_EQ(copy.totals(0).slow, 1u);
}

TEST(Window, TimeWindowSlidesOneBucketAtATime) {
  Window w(time_window(10'000, 10));  // 1 s buckets
  w.record(0, true, false);      // bucket 0
  w.record(999, false, false);   // bucket 0
  w.record(1'000, true, false);  // bucket 1
  EXPECT_EQ(w.totals(9'999).calls, 3u);
  // At 10 s bucket 0 leaves the window, bucket 1 stays until 11 s.
  EXPECT_EQ(w.totals(10'000).calls, 1u);
  EXPECT_EQ(w.totals(10'000).failures, 1u);
  EXPECT_EQ(w.totals(10'999).calls, 1u);
  EXPECT_EQ(w.totals(11'000).calls, 0u);
}

TEST(Window, TimeWindowForgetsEverythingAfterALongGap) {
  Window w(time_window(4'000, 4));
  for (int64_t t = 0; t < 4'000; t += 100) w.record(t, true, true);
  EXPECT_EQ(w.totals(3'999).calls, 40u);
  EXPECT_EQ(w.totals(1'000'000'000'000).calls, 0u);
  w.record(1'000'000'000'000, false, false);
  EXPECT_EQ(w.totals(1'000'000'000'000).calls, 1u);
  EXPECT_EQ(w.totals(1'000'000'000'000).failures, 0u);
}

TEST(Window, TimeWindowStandsStillWhenTheClockStepsBackThenSlidesOn) {
  Window w(time_window(2'000, 2));
  w.record(5'000, true, false);
  w.record(1'000, true, false);  // clock went back 4 s: lands in the newest bucket
  EXPECT_EQ(w.totals(1'999).failures, 2u);
  // The window's 2 s pass after the step, not after the clock is back at 5 s.
  EXPECT_EQ(w.totals(3'000).failures, 0u);
}

TEST(Window, ClearEmptiesBothKinds) {
  Window c(count_window(5));
  c.record(0, true, true);
  c.clear();
  EXPECT_EQ(c.totals(0).calls, 0u);
  EXPECT_TRUE(c.calls().empty());
  Window t(time_window(1'000, 1));
  t.record(0, true, true);
  t.clear();
  EXPECT_EQ(t.totals(0).calls, 0u);
}

TEST(Window, ValidateRejectsBadShapes) {
  EXPECT_FALSE(validate(count_window(1)));
  EXPECT_EQ(validate(count_window(0)).status, Status::invalid_config);
  EXPECT_EQ(validate(count_window(100001)).status, Status::invalid_config);
  EXPECT_FALSE(validate(time_window(60'000, 60)));
  EXPECT_EQ(validate(time_window(0, 1)).status, Status::invalid_config);
  EXPECT_EQ(validate(time_window(1'000, 0)).status, Status::invalid_config);
  EXPECT_EQ(validate(time_window(1'000, 3)).status, Status::invalid_config);  // not a multiple
  EXPECT_EQ(validate(time_window(1'000'000, 4000)).status, Status::invalid_config);
  WindowConfig bad;
  bad.type = static_cast<WindowType>(7);
  EXPECT_EQ(validate(bad).status, Status::invalid_config);
}

}  // namespace
