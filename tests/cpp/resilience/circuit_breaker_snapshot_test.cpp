#include <gtest/gtest.h>

#include <string>

#include "edgeguard/resilience/circuit_breaker.hpp"

using namespace edgeguard::resilience;

namespace {

Config count_config() {
  Config c;
  c.window.type = WindowType::count;
  c.window.size = 4;
  c.minimum_calls = 4;
  c.open_ms = 1'000;
  c.half_open_calls = 3;
  return c;
}

Config time_config() {
  Config c;
  c.window.type = WindowType::time;
  c.window.window_ms = 4'000;
  c.window.buckets = 4;
  c.minimum_calls = 3;
  return c;
}

void record(CircuitBreaker& b, int64_t now, Outcome o) { b.on_result(now, b.try_acquire(now), o, 0); }

Check restore(CircuitBreaker& b, const std::string& s) { return b.restore(s.data(), s.size()); }

TEST(CircuitBreakerSnapshot, ClosedCountWindowRoundTrips) {
  CircuitBreaker a(count_config()), b(count_config());
  record(a, 0, Outcome::failure);
  record(a, 0, Outcome::success);
  record(a, 0, Outcome::failure);
  ASSERT_FALSE(restore(b, a.snapshot(0)));
  EXPECT_EQ(b.state(0), State::closed);
  EXPECT_EQ(b.metrics(0).buffered_calls, 3u);
  EXPECT_EQ(b.metrics(0).failed_calls, 2u);
  EXPECT_EQ(b.metrics(0).consecutive_failures, 1u);
  EXPECT_EQ(b.reason(), Reason::restored);
  // Both now trip on the same next call.
  record(a, 0, Outcome::success);
  record(b, 0, Outcome::success);
  EXPECT_EQ(a.state(0), State::open);
  EXPECT_EQ(b.state(0), State::open);
  EXPECT_EQ(b.snapshot(0), a.snapshot(0));
  EXPECT_NE(a.snapshot(0).find("\"calls\":[1,0,1,0]"), std::string::npos) << a.snapshot(0);
}

TEST(CircuitBreakerSnapshot, OpenStateKeepsItsDeadlineAndTrips) {
  CircuitBreaker a(count_config()), b(count_config());
  for (int i = 0; i < 4; ++i) record(a, 100, Outcome::failure);
  ASSERT_EQ(a.state(100), State::open);
  ASSERT_FALSE(restore(b, a.snapshot(600)));
  EXPECT_EQ(b.state(600), State::open);
  EXPECT_EQ(b.retry_after_ms(600), 500);
  EXPECT_EQ(b.metrics(600).trips, 1u);
  EXPECT_EQ(b.metrics(600).not_permitted_calls, 0u);
  EXPECT_EQ(b.state(1'100), State::half_open);
}

// Found in review: an escaped name ("st\u0061te") was skipped, so JSON's "open" restored as
// "closed"; and a snapshot padded with unknown members grew wasm memory 32x. Both are refused.
TEST(CircuitBreakerSnapshot, RefusesEscapedNamesAndMoreValuesThanThisBreakersWindowHolds) {
  CircuitBreaker a(count_config()), b(count_config());
  for (int i = 0; i < 4; ++i) record(a, 100, Outcome::failure);
  const std::string open = a.snapshot(100);
  ASSERT_NE(open.find("\"state\":\"open\""), std::string::npos) << open;
  std::string two = open;
  two.insert(1, "\"state\":\"closed\",");
  two.replace(two.find("\"state\":\"open\""), 7, "\"st\\u0061te\"");
  EXPECT_EQ(restore(b, two).status, Status::invalid_snapshot) << two;
  std::string zeros;  // 101 values in an unknown member: past 64 + 6 x 4
  for (int i = 0; i < 100; ++i) zeros += "0,";
  std::string padded = open;
  padded.insert(1, "\"x\":[" + zeros + "0],");
  EXPECT_EQ(restore(b, padded).status, Status::invalid_snapshot);
  EXPECT_FALSE(restore(b, open));  // the breaker's own still restores
  EXPECT_EQ(b.state(100), State::open);
}

TEST(CircuitBreakerSnapshot, RefusesAnOpenTimeLongerThanThisBreakerIsEverOpen) {
  CircuitBreaker a(count_config()), b(count_config());  // open for 1 s, at most 60 s with backoff
  for (int i = 0; i < 4; ++i) record(a, 100, Outcome::failure);
  const std::string good = a.snapshot(600);
  ASSERT_NE(good.find("\"openUntilMs\":1100"), std::string::npos) << good;
  for (const char* until : {"\"openUntilMs\":60101", "\"openUntilMs\":9000000000000000", "\"openUntilMs\":99"}) {
    std::string s = good;
    s.replace(s.find("\"openUntilMs\":1100"), 18, until);
    EXPECT_EQ(restore(b, s).status, Status::invalid_snapshot) << s;
  }
  EXPECT_EQ(b.state(600), State::closed);
}

// A snapshot from an instance whose clock is far ahead (or hostile): the window still empties
// within its span on this instance's clock, instead of when this clock reaches the other's.
TEST(CircuitBreakerSnapshot, ATimeWindowFromAClockFarAheadStillSlides) {
  CircuitBreaker a(time_config()), b(time_config());
  record(a, 1'000'000'000'000, Outcome::failure);
  ASSERT_FALSE(restore(b, a.snapshot(1'000'000'000'000)));
  EXPECT_EQ(b.metrics(0).buffered_calls, 1u);
  EXPECT_EQ(b.metrics(3'999).buffered_calls, 1u);
  EXPECT_EQ(b.metrics(4'000).buffered_calls, 0u);
}

TEST(CircuitBreakerSnapshot, HalfOpenCarriesFinishedTrialsOnly) {
  CircuitBreaker a(count_config()), b(count_config());
  for (int i = 0; i < 4; ++i) record(a, 0, Outcome::failure);
  record(a, 1'000, Outcome::success);   // one finished trial
  ASSERT_GT(a.try_acquire(1'000), 0);   // one in flight, lost with this instance
  ASSERT_FALSE(restore(b, a.snapshot(1'000)));
  EXPECT_EQ(b.state(1'000), State::half_open);
  EXPECT_EQ(b.metrics(1'000).buffered_calls, 1u);
  EXPECT_EQ(b.metrics(1'000).half_open_permits_left, 2u);
  record(b, 1'000, Outcome::success);  // 2 successes of 3: at most 1 can fail now
  EXPECT_EQ(b.state(1'000), State::closed);
}

TEST(CircuitBreakerSnapshot, RefusesAHalfOpenStateWithNoTrialLeft) {
  CircuitBreaker a(count_config());
  for (int i = 0; i < 4; ++i) record(a, 0, Outcome::failure);
  record(a, 1'000, Outcome::success);
  std::string s = a.snapshot(1'000);
  const size_t at = s.find("\"done\":1");
  ASSERT_NE(at, std::string::npos) << s;
  // All 3 trials done and still half-open: it could never decide again.
  EXPECT_EQ(restore(a, s.replace(at, 8, "\"done\":3")).status, Status::invalid_snapshot);
}

TEST(CircuitBreakerSnapshot, ForcedStatesRoundTrip) {
  CircuitBreaker a(count_config()), b(count_config());
  a.force_open(0);
  ASSERT_FALSE(restore(b, a.snapshot(0)));
  EXPECT_EQ(b.state(1'000'000), State::forced_open);
  a.metrics_only(0);
  ASSERT_FALSE(restore(b, a.snapshot(0)));
  EXPECT_EQ(b.state(0), State::metrics_only);
}

TEST(CircuitBreakerSnapshot, TimeWindowRoundTripsAndKeepsSliding) {
  CircuitBreaker a(time_config()), b(time_config());
  record(a, 0, Outcome::failure);
  record(a, 2'500, Outcome::failure);
  ASSERT_FALSE(restore(b, a.snapshot(3'000)));
  EXPECT_EQ(b.metrics(3'000).buffered_calls, 2u);
  EXPECT_EQ(b.metrics(4'000).buffered_calls, 1u);  // the t=0 failure leaves on time
  EXPECT_EQ(b.metrics(4'000).failed_calls, 1u);
  EXPECT_EQ(b.snapshot(4'000), a.snapshot(4'000));
}

TEST(CircuitBreakerSnapshot, EmptyTimeWindowRoundTrips) {
  CircuitBreaker a(time_config()), b(time_config());
  ASSERT_FALSE(restore(b, a.snapshot(0)));
  EXPECT_EQ(b.snapshot(0), a.snapshot(0));
}

TEST(CircuitBreakerSnapshot, RestoreInvalidatesOutstandingPermits) {
  CircuitBreaker a(count_config()), b(count_config());
  const int32_t permit = b.try_acquire(0);
  ASSERT_FALSE(restore(b, a.snapshot(0)));
  EXPECT_EQ(b.on_result(0, permit, Outcome::failure, 0), 0u);
  EXPECT_EQ(b.metrics(0).buffered_calls, 0u);
}

TEST(CircuitBreakerSnapshot, RefusesADifferentWindowShape) {
  Config bigger = count_config();
  bigger.window.size = 5;
  CircuitBreaker a(count_config()), b(bigger), t(time_config());
  EXPECT_EQ(restore(b, a.snapshot(0)).status, Status::snapshot_mismatch);
  EXPECT_EQ(restore(t, a.snapshot(0)).status, Status::snapshot_mismatch);
  EXPECT_EQ(restore(a, t.snapshot(0)).status, Status::snapshot_mismatch);
  Config other_time = time_config();
  other_time.window.buckets = 2;
  CircuitBreaker t2(other_time);
  EXPECT_EQ(restore(t2, t.snapshot(0)).status, Status::snapshot_mismatch);
}

TEST(CircuitBreakerSnapshot, RefusesMalformedSnapshotsAndKeepsItsState) {
  CircuitBreaker a(count_config());
  record(a, 0, Outcome::failure);
  const std::string good = a.snapshot(0);
  const auto replaced = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    const size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from << " in " << good;
    return s.replace(at, from.size(), to);
  };
  const std::string bad[] = {
      "",
      "not json",
      "[]",
      "{}",
      replaced("\"version\":1", "\"version\":2"),
      replaced("\"state\":\"closed\"", "\"state\":\"ajar\""),
      replaced("\"trips\":0", "\"trips\":-1"),
      replaced("\"trips\":0", "\"trips\":0.5"),
      replaced("\"calls\":[1]", "\"calls\":[4]"),
      replaced("\"calls\":[1]", "\"calls\":[0,0,0,0,0]"),
      replaced("\"calls\":[1]", "\"calls\":\"1\""),
      replaced("\"done\":0", "\"done\":4"),  // more than halfOpenCalls
      replaced("\"failures\":0", "\"failures\":1"),  // more failures than trials
  };
  for (const std::string& s : bad) {
    const Check c = restore(a, s);
    EXPECT_EQ(c.status, Status::invalid_snapshot) << s;
    EXPECT_STRNE(c.message, "") << s;
  }
  EXPECT_EQ(a.snapshot(0), good);
}

TEST(CircuitBreakerSnapshot, RefusesInconsistentTimeBuckets) {
  CircuitBreaker a(time_config());
  record(a, 0, Outcome::failure);
  const std::string good = a.snapshot(0);
  std::string s = good;
  const size_t at = s.find("[1,1,0,0]");
  ASSERT_NE(at, std::string::npos) << good;
  EXPECT_EQ(restore(a, s.replace(at, 9, "[1,2,0,0]")).status, Status::invalid_snapshot);
  s = good;
  EXPECT_EQ(restore(a, s.replace(at, 9, "[1,1,0]")).status, Status::invalid_snapshot);
  s = good;
  const size_t head = s.find("\"head\":0");
  ASSERT_NE(head, std::string::npos) << good;
  EXPECT_EQ(restore(a, s.replace(head, 8, "\"head\":-9223372036854775807")).status, Status::invalid_snapshot);
  s = good;
  EXPECT_EQ(restore(a, s.replace(head, 8, "\"head\":1.5")).status, Status::invalid_snapshot);
  EXPECT_EQ(a.snapshot(0), good);
}

}  // namespace
