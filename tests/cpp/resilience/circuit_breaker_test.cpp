#include "edgeguard/resilience/circuit_breaker.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace edgeguard::resilience;

namespace {

Config count_config(uint32_t size, uint32_t minimum, double threshold = 50) {
  Config c;
  c.window.type = WindowType::count;
  c.window.size = size;
  c.minimum_calls = minimum;
  c.failure_rate_threshold = threshold;
  return c;
}

// A breaker on a fake clock that runs calls through permits, as execute() does.
struct Harness {
  explicit Harness(const Config& c) : b(c) { EXPECT_FALSE(validate(c)) << validate(c).message; }

  uint32_t call(Outcome o, uint32_t duration_ms = 0) {
    const int32_t p = b.try_acquire(now);
    EXPECT_GT(p, 0) << "call not permitted at " << now;
    return b.on_result(now, p, o, duration_ms);
  }
  uint32_t fail(uint32_t duration_ms = 0) { return call(Outcome::failure, duration_ms); }
  uint32_t succeed(uint32_t duration_ms = 0) { return call(Outcome::success, duration_ms); }
  State state() { return b.state(now); }

  CircuitBreaker b;
  int64_t now = 0;
};

TEST(CircuitBreaker, DefaultsNeverOpenOnTheFirstFailure) {
  Harness h{Config{}};
  EXPECT_EQ(h.fail(), 0u);
  EXPECT_EQ(h.state(), State::closed);
  for (int i = 2; i < 20; ++i) EXPECT_EQ(h.fail(), 0u) << i;
  EXPECT_EQ(h.state(), State::closed);
  // The 20th call reaches minimumCalls with a 100% failure rate.
  EXPECT_EQ(h.fail(), kStateChanged | kFailureRateExceeded);
  EXPECT_EQ(h.state(), State::open);
  EXPECT_EQ(h.b.reason(), Reason::failure_rate);
}

TEST(CircuitBreaker, CountWindowTripsExactlyAtTheFailureRate) {
  Harness h{count_config(10, 10, 50)};
  for (int i = 0; i < 5; ++i) h.succeed();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(h.fail(), 0u);  // 9 calls: below minimumCalls
  EXPECT_EQ(h.state(), State::closed);
  EXPECT_EQ(h.fail(), kStateChanged | kFailureRateExceeded);  // 5 of 10 = 50%
  EXPECT_EQ(h.state(), State::open);
}

TEST(CircuitBreaker, StaysClosedJustUnderTheThreshold) {
  Harness h{count_config(10, 10, 50)};
  for (int i = 0; i < 6; ++i) h.succeed();
  for (int i = 0; i < 4; ++i) h.fail();  // 40%
  EXPECT_EQ(h.state(), State::closed);
  EXPECT_EQ(h.b.metrics(h.now).failure_rate, 40);
}

TEST(CircuitBreaker, MinimumCallsNotReachedKeepsItClosed) {
  Harness h{count_config(100, 20, 50)};
  for (int i = 0; i < 19; ++i) EXPECT_EQ(h.fail(), 0u);
  EXPECT_EQ(h.state(), State::closed);
  EXPECT_EQ(h.b.metrics(h.now).failure_rate, -1);  // not computed below minimumCalls
  EXPECT_EQ(h.b.metrics(h.now).buffered_calls, 19u);
  EXPECT_NE(h.fail() & kStateChanged, 0u);
}

TEST(CircuitBreaker, MinimumCallsAboveTheCountWindowIsCappedToIt) {
  Harness h{count_config(5, 50, 100)};
  for (int i = 0; i < 4; ++i) h.fail();
  EXPECT_EQ(h.state(), State::closed);
  EXPECT_NE(h.fail() & kStateChanged, 0u);
}

TEST(CircuitBreaker, OldFailuresLeaveTheCountWindow) {
  Harness h{count_config(4, 4, 75)};
  h.fail();
  h.fail();
  h.succeed();
  h.succeed();  // F F S S: 50%
  h.succeed();  // F S S S
  h.fail();     // S S S F
  EXPECT_EQ(h.fail(), 0u);  // S S F F: 50%
  EXPECT_EQ(h.state(), State::closed);
  EXPECT_EQ(h.fail(), kStateChanged | kFailureRateExceeded);  // S F F F: 75%
}

TEST(CircuitBreaker, TimeWindowTripsOnlyOnCallsInsideTheWindow) {
  Config c;
  c.window.type = WindowType::time;
  c.window.window_ms = 10'000;
  c.window.buckets = 10;
  c.minimum_calls = 3;
  Harness h{c};
  h.fail();
  h.fail();  // two failures at t=0, below minimumCalls
  h.now = 10'000;  // they have left the window
  EXPECT_EQ(h.fail(), 0u);
  EXPECT_EQ(h.b.metrics(h.now).buffered_calls, 1u);
  EXPECT_EQ(h.succeed(), 0u);
  EXPECT_EQ(h.state(), State::closed);
  EXPECT_EQ(h.fail(), kStateChanged | kFailureRateExceeded);  // 2 of 3 within the window
}

TEST(CircuitBreaker, TimeWindowTripsWithinTheWindow) {
  Config c;
  c.window.type = WindowType::time;
  c.window.window_ms = 10'000;
  c.window.buckets = 10;
  c.minimum_calls = 3;
  Harness h{c};
  h.fail();
  h.now = 5'000;
  h.fail();
  h.now = 9'999;
  EXPECT_EQ(h.fail(), kStateChanged | kFailureRateExceeded);
}

TEST(CircuitBreaker, SlowCallRateTripsEvenWhenCallsSucceed) {
  Config c = count_config(4, 4, 100);
  c.slow_call_duration_ms = 1'000;
  c.slow_call_rate_threshold = 50;
  Harness h{c};
  h.succeed(10);
  h.succeed(999);   // just under the slow threshold
  h.succeed(1'000);  // slow: duration reaches slowCallDurationMs
  EXPECT_EQ(h.state(), State::closed);
  EXPECT_EQ(h.succeed(5'000), kStateChanged | kSlowCallRateExceeded);  // 2 of 4
  EXPECT_EQ(h.b.reason(), Reason::slow_call_rate);
}

TEST(CircuitBreaker, ZeroSlowDurationMeansNoCallIsSlow) {
  Config c = count_config(2, 2, 100);
  c.slow_call_duration_ms = 0;
  c.slow_call_rate_threshold = 1;
  Harness h{c};
  h.succeed(1'000'000);
  h.succeed(1'000'000);
  EXPECT_EQ(h.state(), State::closed);
  EXPECT_EQ(h.b.metrics(h.now).slow_calls, 0u);
}

TEST(CircuitBreaker, ConsecutiveFailuresTripBeforeMinimumCalls) {
  Config c = count_config(100, 100);
  c.consecutive_failures = 3;
  Harness h{c};
  h.fail();
  h.fail();
  h.succeed();  // breaks the streak
  h.fail();
  h.fail();
  EXPECT_EQ(h.call(Outcome::ignored), 0u);  // ignored: neither breaks nor extends it
  EXPECT_EQ(h.state(), State::closed);
  EXPECT_EQ(h.b.metrics(h.now).consecutive_failures, 2u);
  EXPECT_EQ(h.fail(), kStateChanged);
  EXPECT_EQ(h.b.reason(), Reason::consecutive_failures);
}

TEST(CircuitBreaker, IgnoredOutcomesAreNotBuffered) {
  Harness h{count_config(10, 2, 50)};
  h.call(Outcome::ignored);
  h.call(Outcome::ignored);
  EXPECT_EQ(h.b.metrics(h.now).buffered_calls, 0u);
  h.fail();
  EXPECT_EQ(h.state(), State::closed);
}

Config tripping_config() {
  Config c = count_config(2, 2, 50);
  c.open_ms = 1'000;
  c.half_open_calls = 3;
  return c;
}

void trip(Harness& h) {
  h.fail();
  h.fail();
  ASSERT_EQ(h.b.state(h.now), State::open);
}

TEST(CircuitBreaker, OpenRejectsUntilOpenMsThenHalfOpensOnRead) {
  Harness h{tripping_config()};
  h.now = 100;
  trip(h);
  h.now = 1'099;
  const int32_t rejected = h.b.try_acquire(h.now);
  EXPECT_LT(rejected, 0);
  EXPECT_EQ(CircuitBreaker::epoch_of(rejected), h.b.epoch());
  EXPECT_EQ(h.b.retry_after_ms(h.now), 1);
  EXPECT_EQ(h.b.metrics(h.now).not_permitted_calls, 1u);
  EXPECT_EQ(h.b.state(h.now), State::open);
  h.now = 1'100;
  const uint32_t before = h.b.epoch();
  EXPECT_GT(h.b.try_acquire(h.now), 0);
  EXPECT_NE(h.b.epoch(), before);
  EXPECT_EQ(h.b.state(h.now), State::half_open);
  EXPECT_EQ(h.b.previous_state(), State::open);
  EXPECT_EQ(h.b.reason(), Reason::open_elapsed);
}

TEST(CircuitBreaker, OpenMsGrowsWithBackoffOnRepeatedTripsAndResetsOnClose) {
  Config c = tripping_config();
  c.half_open_calls = 1;
  c.open_backoff_multiplier = 2;
  c.open_max_ms = 5'000;
  Harness h{c};
  trip(h);
  EXPECT_EQ(h.b.retry_after_ms(0), 1'000);
  const int64_t expected[] = {2'000, 4'000, 5'000, 5'000};  // capped at maxMs
  for (int64_t wait : expected) {
    h.now += h.b.retry_after_ms(h.now);
    ASSERT_EQ(h.state(), State::half_open);
    h.fail();  // the trial fails: open again, for longer
    EXPECT_EQ(h.state(), State::open);
    EXPECT_EQ(h.b.retry_after_ms(h.now), wait);
  }
  EXPECT_EQ(h.b.metrics(h.now).trips, 5u);
  h.now += 5'000;
  h.succeed();
  EXPECT_EQ(h.state(), State::closed);
  trip(h);
  EXPECT_EQ(h.b.retry_after_ms(h.now), 1'000);
}

// Found in review: after enough trips the grown open time was NaN, cast to INT64_MIN: the breaker
// went half-open at once and admitted calls.
TEST(CircuitBreaker, OpenTimeStaysAtMaxMsAfterAnyNumberOfTrips) {
  Config c = tripping_config();
  c.half_open_calls = 1;
  c.open_backoff_multiplier = 1000;
  c.open_max_ms = 60'000;
  Harness h{c};
  trip(h);
  for (int i = 0; i < 120; ++i) {
    h.now += h.b.retry_after_ms(h.now);
    ASSERT_EQ(h.state(), State::half_open) << i;
    h.fail();
    ASSERT_EQ(h.state(), State::open) << i;
    ASSERT_EQ(h.b.retry_after_ms(h.now), 60'000) << "trip " << i + 2;
  }
}

TEST(CircuitBreaker, HalfOpenAdmitsExactlyNTrialsAndRejectsTheRest) {
  Harness h{tripping_config()};
  trip(h);
  h.now = 1'000;
  int32_t permits[3];
  for (int32_t& p : permits) {
    p = h.b.try_acquire(h.now);
    EXPECT_GT(p, 0);
  }
  EXPECT_EQ(h.b.metrics(h.now).half_open_permits_left, 0u);
  EXPECT_LT(h.b.try_acquire(h.now), 0);
  EXPECT_LT(h.b.try_acquire(h.now), 0);
  EXPECT_EQ(h.b.metrics(h.now).not_permitted_calls, 2u);
  EXPECT_EQ(h.b.retry_after_ms(h.now), 0);
  // An ignored trial hands its permit to the next call.
  EXPECT_EQ(h.b.on_result(h.now, permits[0], Outcome::ignored, 0), 0u);
  EXPECT_GT(h.b.try_acquire(h.now), 0);
  EXPECT_LT(h.b.try_acquire(h.now), 0);
}

TEST(CircuitBreaker, TrialSuccessesCloseTheCircuit) {
  Config c = tripping_config();
  c.half_open_calls = 4;
  Harness h{c};
  trip(h);
  h.now = 1'000;
  EXPECT_EQ(h.succeed(), 0u);
  EXPECT_EQ(h.succeed(), 0u);  // 2 failures out of 4 could still reach 50%
  EXPECT_EQ(h.state(), State::half_open);
  EXPECT_EQ(h.succeed(), kStateChanged);  // at most 1 of 4 can fail now: decided
  EXPECT_EQ(h.state(), State::closed);
  EXPECT_EQ(h.b.reason(), Reason::trials_passed);
  EXPECT_EQ(h.b.metrics(h.now).buffered_calls, 0u);  // closed starts with an empty window
}

TEST(CircuitBreaker, TrialFailuresReopenTheCircuit) {
  Config c = tripping_config();
  c.half_open_calls = 4;
  Harness h{c};
  trip(h);
  h.now = 1'000;
  h.succeed();
  EXPECT_EQ(h.fail(), 0u);  // 1 of 4
  EXPECT_EQ(h.fail(), kStateChanged | kFailureRateExceeded);  // 2 of 4 = 50%
  EXPECT_EQ(h.state(), State::open);
  EXPECT_EQ(h.b.retry_after_ms(h.now), 1'000);
}

TEST(CircuitBreaker, TrialsDecideOnTheLastCallWhenItIsClose) {
  Config c = tripping_config();
  c.half_open_calls = 4;
  Harness h{c};
  trip(h);
  h.now = 1'000;
  h.succeed();
  h.fail();
  h.succeed();
  EXPECT_EQ(h.state(), State::half_open);  // 1 of 3 failed: the 4th decides
  EXPECT_EQ(h.fail(), kStateChanged | kFailureRateExceeded);
}

TEST(CircuitBreaker, SlowTrialsReopenTheCircuit) {
  Config c = tripping_config();
  c.half_open_calls = 2;
  c.slow_call_duration_ms = 100;
  c.slow_call_rate_threshold = 100;
  Harness h{c};
  trip(h);
  h.now = 1'000;
  h.succeed(100);
  EXPECT_EQ(h.succeed(150), kStateChanged | kSlowCallRateExceeded);
}

TEST(CircuitBreaker, LateOutcomesFromAnEarlierStateAreDropped) {
  Harness h{tripping_config()};
  const int32_t slow_call = h.b.try_acquire(0);  // started while closed
  trip(h);
  h.now = 1'000;
  ASSERT_EQ(h.state(), State::half_open);
  EXPECT_EQ(h.b.on_result(h.now, slow_call, Outcome::failure, 900), 0u);
  EXPECT_EQ(h.state(), State::half_open);
  EXPECT_EQ(h.b.metrics(h.now).buffered_calls, 0u);
}

TEST(CircuitBreaker, ATrialPermitReportedAgainIsNotAnotherTrial) {
  Harness h{tripping_config()};  // 3 trials
  trip(h);
  h.now = 1'000;
  const int32_t trial = h.b.try_acquire(h.now);
  ASSERT_GT(trial, 0);
  EXPECT_EQ(h.b.on_result(h.now, trial, Outcome::success, 0), 0u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(h.b.on_result(h.now, trial, Outcome::success, 0), 0u);
  EXPECT_EQ(h.b.on_result(h.now, 0, Outcome::success, 0), 0u);  // nor is a permitless outcome
  EXPECT_EQ(h.state(), State::half_open);
  EXPECT_EQ(h.b.metrics(h.now).buffered_calls, 1u);
  EXPECT_EQ(h.b.metrics(h.now).half_open_permits_left, 2u);
}

TEST(CircuitBreaker, AClockSteppingBackHoldsItOpenOnlyForOpenMs) {
  Harness h{tripping_config()};  // open for 1 s
  h.now = 3'600'000;
  trip(h);
  h.now = 500;  // an hour back, half a second after the trip
  EXPECT_LT(h.b.try_acquire(h.now), 0);
  EXPECT_EQ(h.b.retry_after_ms(h.now), 1'000);
  h.now = 1'499;
  EXPECT_EQ(h.state(), State::open);
  h.now = 1'500;
  EXPECT_EQ(h.state(), State::half_open);
}

TEST(CircuitBreaker, AHalfOpenTimeoutCountsFromAClockThatSteppedBack) {
  Config c = tripping_config();
  c.half_open_max_ms = 500;
  Harness h{c};
  h.now = 3'600'000;
  trip(h);
  h.now = 3'601'000;
  ASSERT_GT(h.b.try_acquire(h.now), 0);  // half-open, its trial never reports
  h.now = 1'000;
  EXPECT_EQ(h.state(), State::half_open);
  h.now = 1'500;
  EXPECT_EQ(h.state(), State::open);
}

TEST(CircuitBreaker, PermitlessOutcomesCountInTheCurrentState) {
  Harness h{count_config(2, 2)};
  h.b.on_result(0, 0, Outcome::failure, 0);
  EXPECT_EQ(h.b.on_result(0, 0, Outcome::failure, 0), kStateChanged | kFailureRateExceeded);
  EXPECT_EQ(h.b.on_result(0, 0, Outcome::failure, 0), 0u);  // open: nothing is recorded
}

TEST(CircuitBreaker, HalfOpenTimesOutBackToOpenWhenTrialsNeverReport) {
  Config c = tripping_config();
  c.half_open_max_ms = 500;
  Harness h{c};
  trip(h);
  h.now = 1'000;
  EXPECT_GT(h.b.try_acquire(h.now), 0);
  h.now = 1'499;
  EXPECT_EQ(h.state(), State::half_open);
  h.now = 1'500;
  EXPECT_EQ(h.state(), State::open);
  EXPECT_EQ(h.b.reason(), Reason::half_open_timeout);
  EXPECT_EQ(h.b.metrics(h.now).trips, 2u);
}

TEST(CircuitBreaker, OnResultReportsALazyTransitionOnTheWay) {
  Config c = tripping_config();
  c.half_open_max_ms = 500;
  Harness h{c};
  trip(h);
  const int32_t trial = h.b.try_acquire(1'000);
  ASSERT_GT(trial, 0);
  // The trial reports after the half-open wait ran out: the state moved to open on the way.
  EXPECT_EQ(h.b.on_result(1'600, trial, Outcome::success, 0), kStateChanged);
  EXPECT_EQ(h.b.state(1'600), State::open);
}

TEST(CircuitBreaker, ForcedOpenRejectsForeverUntilReset) {
  Harness h{tripping_config()};
  h.b.force_open(0);
  EXPECT_EQ(h.state(), State::forced_open);
  h.now = 1'000'000'000;
  EXPECT_LT(h.b.try_acquire(h.now), 0);
  EXPECT_EQ(h.state(), State::forced_open);
  EXPECT_EQ(h.b.retry_after_ms(h.now), -1);
  h.b.reset(h.now);
  EXPECT_EQ(h.state(), State::closed);
  EXPECT_EQ(h.b.metrics(h.now).not_permitted_calls, 0u);
  EXPECT_GT(h.b.try_acquire(h.now), 0);
}

TEST(CircuitBreaker, DisabledPermitsEverythingAndRecordsNothing) {
  Harness h{tripping_config()};
  h.b.disable(0);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(h.fail(), 0u);
  EXPECT_EQ(h.state(), State::disabled);
  EXPECT_EQ(h.b.metrics(h.now).buffered_calls, 0u);
}

TEST(CircuitBreaker, MetricsOnlyReportsCrossingsButNeverOpens) {
  Harness h{count_config(2, 2)};
  h.b.metrics_only(0);
  EXPECT_EQ(h.fail(), 0u);
  EXPECT_EQ(h.fail(), static_cast<uint32_t>(kFailureRateExceeded));  // crossing reported once
  EXPECT_EQ(h.fail(), 0u);
  EXPECT_EQ(h.state(), State::metrics_only);
  h.succeed();
  h.succeed();  // back under the threshold
  EXPECT_EQ(h.fail(), static_cast<uint32_t>(kFailureRateExceeded));  // S F = 50%: crossed again
  EXPECT_EQ(h.b.metrics(h.now).failure_rate, 50);
}

TEST(CircuitBreaker, ResetClearsTheWindowAndTrips) {
  Harness h{count_config(4, 4)};
  h.fail();
  h.fail();
  h.fail();
  h.b.reset(0);
  EXPECT_EQ(h.b.metrics(0).buffered_calls, 0u);
  h.fail();
  EXPECT_EQ(h.state(), State::closed);
}

TEST(CircuitBreaker, TransitionsToTheSameForcedStateStillBumpTheEpoch) {
  Harness h{count_config(4, 4)};
  const int32_t before = h.b.try_acquire(0);
  h.b.force_open(0);
  h.b.reset(0);
  // A permit from before the reset reports into nothing.
  EXPECT_EQ(h.b.on_result(0, before, Outcome::failure, 0), 0u);
  EXPECT_EQ(h.b.metrics(0).buffered_calls, 0u);
}

TEST(CircuitBreaker, SuccessAllowanceStopsWhereASuccessCouldTrip) {
  Harness h{count_config(10, 4, 50)};
  EXPECT_EQ(h.b.success_allowance(), UINT32_MAX);
  h.fail();
  EXPECT_EQ(h.b.success_allowance(), UINT32_MAX);  // 1 of 4 could never reach 50%
  h.fail();
  // 2 failures: the call that brings the window to 4 would trip, so only 1 success may wait.
  EXPECT_EQ(h.b.success_allowance(), 1u);
  EXPECT_EQ(h.b.record_successes(0, 0, 1), 0u);
  EXPECT_EQ(h.b.success_allowance(), 0u);
  EXPECT_EQ(h.succeed(), kStateChanged | kFailureRateExceeded);  // exactly as the allowance said
}

TEST(CircuitBreaker, SuccessAllowanceIsZeroWhereSuccessesNeedTime) {
  Config slow = count_config(10, 4);
  slow.slow_call_duration_ms = 100;
  EXPECT_EQ(CircuitBreaker(slow).success_allowance(), 0u);
  Config timed;
  timed.window.type = WindowType::time;
  timed.window.window_ms = 1000;
  timed.window.buckets = 1;
  EXPECT_EQ(CircuitBreaker(timed).success_allowance(), 0u);
  Harness h{count_config(10, 4)};
  h.b.metrics_only(0);
  EXPECT_EQ(h.b.success_allowance(), 0u);
  h.b.force_open(0);
  EXPECT_EQ(h.b.success_allowance(), 0u);
}

TEST(CircuitBreaker, RefusesUntilTheOpenTimeEndsAndNoLonger) {
  Config c = count_config(10, 2, 50);
  c.open_ms = 1000;
  Harness h{c};
  EXPECT_EQ(h.b.refusing_until(), INT64_MIN);  // closed: every call must ask
  h.now = 500;
  h.fail();
  h.fail();
  ASSERT_EQ(h.state(), State::open);
  EXPECT_EQ(h.b.refusing_until(), 1500);
  h.now = 1499;
  EXPECT_LT(h.b.try_acquire(h.now), 0);  // refused inside the promise
  h.now = 1500;
  EXPECT_GT(h.b.try_acquire(h.now), 0);  // and admitted from the moment it ends
  EXPECT_EQ(h.b.refusing_until(), INT64_MIN);  // half-open: trial permits run out unpredictably
  h.b.force_open(h.now);
  EXPECT_EQ(h.b.refusing_until(), INT64_MAX);
  h.b.disable(h.now);
  EXPECT_EQ(h.b.refusing_until(), INT64_MIN);
}

TEST(CircuitBreaker, BatchedRejectionsCountAsNotPermittedCalls) {
  Harness h{count_config(10, 2)};
  h.b.force_open(0);
  EXPECT_LT(h.b.try_acquire(0), 0);
  h.b.record_rejections(41);
  EXPECT_EQ(h.b.metrics(0).not_permitted_calls, 42u);
}

TEST(CircuitBreaker, BatchedSuccessesEqualSingleOnes) {
  Harness a{count_config(5, 5)}, b{count_config(5, 5)};
  a.fail();
  b.fail();
  for (int i = 0; i < 7; ++i) a.succeed();
  EXPECT_EQ(b.b.record_successes(0, b.b.try_acquire(0), 7), 0u);
  EXPECT_EQ(a.b.snapshot(0), b.b.snapshot(0));
  EXPECT_EQ(b.b.metrics(0).consecutive_failures, 0u);
}

TEST(CircuitBreaker, BatchedSuccessesPastTheAllowanceTripLikeSingleOnes) {
  Harness h{count_config(10, 4)};
  h.fail();
  h.fail();
  EXPECT_EQ(h.b.record_successes(0, 0, 5), kStateChanged | kFailureRateExceeded);
  EXPECT_EQ(h.state(), State::open);
  EXPECT_EQ(h.b.metrics(0).buffered_calls, 4u);  // recording stopped at the trip
}

TEST(CircuitBreaker, BatchedSuccessesFromAnEarlierStateAreDropped) {
  Harness h{count_config(2, 2)};
  const int32_t old = h.b.try_acquire(0);
  h.b.reset(0);
  EXPECT_EQ(h.b.record_successes(0, old, 3), 0u);
  EXPECT_EQ(h.b.metrics(0).buffered_calls, 0u);
}

TEST(CircuitBreaker, TripOpensAClosedBreakerForItsOpenTimeThenHalfOpens) {
  Harness h{tripping_config()};
  h.now = 100;
  EXPECT_TRUE(h.b.trip(h.now));
  EXPECT_EQ(h.state(), State::open);
  EXPECT_EQ(h.b.reason(), Reason::quorum);
  EXPECT_EQ(h.b.refusing_until(), 1'100);
  EXPECT_LT(h.b.try_acquire(h.now), 0);
  h.now = 1'100;
  EXPECT_EQ(h.state(), State::half_open);
  EXPECT_EQ(h.b.reason(), Reason::open_elapsed);
  EXPECT_EQ(h.b.metrics(h.now).half_open_permits_left, 3u);
}

TEST(CircuitBreaker, TripCountsAsATripForTheBackoff) {
  Config c = tripping_config();
  c.half_open_calls = 1;
  c.open_backoff_multiplier = 2;
  c.open_max_ms = 5'000;
  Harness h{c};
  ASSERT_TRUE(h.b.trip(0));
  h.now = 1'000;
  ASSERT_EQ(h.state(), State::half_open);
  h.fail();
  EXPECT_EQ(h.b.retry_after_ms(h.now), 2'000);
  EXPECT_EQ(h.b.metrics(h.now).trips, 2u);
}

TEST(CircuitBreaker, TripLeavesEveryStateButClosedAlone) {
  Harness h{tripping_config()};
  trip(h);
  const uint32_t epoch = h.b.epoch();
  EXPECT_FALSE(h.b.trip(h.now));  // already open: its open time is not restarted
  EXPECT_EQ(h.b.epoch(), epoch);
  h.now += 1'000;
  EXPECT_FALSE(h.b.trip(h.now));  // half-open: the trials decide
  EXPECT_EQ(h.state(), State::half_open);
  for (auto set : {&CircuitBreaker::force_open, &CircuitBreaker::disable, &CircuitBreaker::metrics_only}) {
    (h.b.*set)(h.now);
    const State manual = h.state();
    EXPECT_FALSE(h.b.trip(h.now));
    EXPECT_EQ(h.state(), manual);
  }
}

TEST(CircuitBreaker, AdoptedTrialsCloseOrReopenOnlyAHalfOpenBreaker) {
  Harness h{tripping_config()};
  EXPECT_FALSE(h.b.adopt_trials(h.now, true));  // closed
  trip(h);
  EXPECT_FALSE(h.b.adopt_trials(h.now, true));  // open: its own open time runs
  EXPECT_EQ(h.state(), State::open);
  h.now += 1'000;
  ASSERT_EQ(h.state(), State::half_open);
  EXPECT_TRUE(h.b.adopt_trials(h.now, false));
  EXPECT_EQ(h.state(), State::open);
  EXPECT_EQ(h.b.reason(), Reason::shared_trials);
  EXPECT_EQ(h.b.metrics(h.now).trips, 2u);
  h.now += h.b.retry_after_ms(h.now);
  ASSERT_EQ(h.state(), State::half_open);
  const int32_t trial = h.b.try_acquire(h.now);
  EXPECT_TRUE(h.b.adopt_trials(h.now, true));
  EXPECT_EQ(h.state(), State::closed);
  EXPECT_EQ(h.b.metrics(h.now).trips, 0u);
  EXPECT_EQ(h.b.on_result(h.now, trial, Outcome::failure, 0), 0u);  // a trial of the old state
  EXPECT_EQ(h.b.metrics(h.now).buffered_calls, 0u);
}

TEST(CircuitBreaker, ValidateRejectsEveryBadField) {
  EXPECT_FALSE(validate(Config{}));
  auto bad = [](auto mutate) {
    Config c;
    mutate(c);
    const Check r = validate(c);
    EXPECT_EQ(r.status, Status::invalid_config);
    return std::string(r.message);
  };
  EXPECT_NE(bad([](Config& c) { c.minimum_calls = 0; }).find("minimumCalls"), std::string::npos);
  EXPECT_NE(bad([](Config& c) { c.failure_rate_threshold = 0; }).find("failureRateThreshold"), std::string::npos);
  EXPECT_NE(bad([](Config& c) { c.failure_rate_threshold = 100.5; }).find("failureRateThreshold"), std::string::npos);
  EXPECT_NE(bad([](Config& c) { c.slow_call_rate_threshold = std::nan(""); }).find("slowCallRate"), std::string::npos);
  EXPECT_NE(bad([](Config& c) { c.open_ms = 0; }).find("openMs"), std::string::npos);
  EXPECT_NE(bad([](Config& c) { c.open_backoff_multiplier = 0.5; }).find("multiplier"), std::string::npos);
  EXPECT_NE(bad([](Config& c) { c.open_max_ms = 10; }).find("maxMs"), std::string::npos);
  EXPECT_NE(bad([](Config& c) { c.half_open_calls = 0; }).find("halfOpenCalls"), std::string::npos);
  EXPECT_NE(bad([](Config& c) { c.window.size = 0; }).find("window"), std::string::npos);
}

}  // namespace
