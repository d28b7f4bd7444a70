// The breaker against a deliberately naive model of the same rules (a deque for the window,
// recomputed rates), over long seeded traces of sequential calls with random outcomes and time.
#include <gtest/gtest.h>

#include <deque>
#include <random>

#include "edgeguard/resilience/circuit_breaker.hpp"

using namespace edgeguard::resilience;

namespace {

struct Model {
  uint32_t size, minimum, consecutive_limit, open_ms, trials;
  double threshold;
  State state = State::closed;
  std::deque<bool> window;  // true: failed
  uint32_t consecutive = 0;
  int64_t open_until = 0;
  uint32_t trial_calls = 0, trial_failures = 0;

  bool rate_reached(uint32_t failures, uint32_t calls) const { return failures * 100.0 >= threshold * calls; }

  void open(int64_t now) {
    state = State::open;
    open_until = now + open_ms;
  }

  // One call at `now`; returns whether it was permitted.
  bool call(int64_t now, Outcome outcome) {
    if (state == State::open && now >= open_until) {
      state = State::half_open;
      trial_calls = trial_failures = 0;
    }
    if (state == State::open) return false;
    if (outcome == Outcome::ignored) return true;
    const bool failed = outcome == Outcome::failure;
    if (state == State::half_open) {
      ++trial_calls;
      trial_failures += failed;
      if (rate_reached(trial_failures, trials)) {
        open(now);
      } else if (!rate_reached(trial_failures + (trials - trial_calls), trials)) {
        state = State::closed;
        window.clear();
        consecutive = 0;
      }
      return true;
    }
    window.push_back(failed);
    if (window.size() > size) window.pop_front();
    consecutive = failed ? consecutive + 1 : 0;
    uint32_t failures = 0;
    for (bool f : window) failures += f;
    const uint32_t calls = static_cast<uint32_t>(window.size());
    if ((calls >= std::min(minimum, size) && rate_reached(failures, calls)) ||
        (consecutive_limit > 0 && consecutive >= consecutive_limit)) {
      open(now);
    }
    return true;
  }
};

void run_trace(uint32_t seed, Config c) {
  CircuitBreaker breaker(c);
  Model model{c.window.size, c.minimum_calls, c.consecutive_failures, c.open_ms, c.half_open_calls,
              c.failure_rate_threshold};
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  int64_t now = 0;
  uint32_t transitions = 0;
  State last = State::closed;
  for (int i = 0; i < 20000; ++i) {
    const double bad = (i / 500) % 2 == 0 ? 0.1 : 0.55;  // calm and stormy phases
    const double u = unit(rng);
    const Outcome outcome = u < 0.05 ? Outcome::ignored : u < 0.05 + bad ? Outcome::failure : Outcome::success;
    const int32_t permit = breaker.try_acquire(now);
    const bool permitted = model.call(now, outcome);
    ASSERT_EQ(permit > 0, permitted) << "seed " << seed << " call " << i;
    if (permit > 0) breaker.on_result(now, permit, outcome, 0);
    ASSERT_EQ(breaker.state(now), model.state) << "seed " << seed << " call " << i;
    if (model.state == State::closed) {
      uint32_t failures = 0;
      for (bool f : model.window) failures += f;
      ASSERT_EQ(breaker.metrics(now).buffered_calls, model.window.size());
      ASSERT_EQ(breaker.metrics(now).failed_calls, failures);
    }
    transitions += breaker.state(now) != last;
    last = breaker.state(now);
    now += static_cast<int64_t>(unit(rng) * 30);
  }
  EXPECT_GT(transitions, 100u) << "the trace should exercise every state";
}

TEST(CircuitBreakerModel, MatchesTheNaiveModelOnSeededTraces) {
  Config c;
  c.window.size = 10;
  c.minimum_calls = 6;
  c.failure_rate_threshold = 50;
  c.open_ms = 200;
  c.half_open_calls = 4;
  for (uint32_t seed = 1; seed <= 5; ++seed) run_trace(seed, c);
}

TEST(CircuitBreakerModel, MatchesWithConsecutiveFailuresAndOddThresholds) {
  Config c;
  c.window.size = 7;
  c.minimum_calls = 20;  // capped at the window size
  c.failure_rate_threshold = 33.3;
  c.consecutive_failures = 3;
  c.open_ms = 90;
  c.half_open_calls = 5;
  for (uint32_t seed = 10; seed <= 14; ++seed) run_trace(seed, c);
}

}  // namespace
