#include "edgeguard/resilience/circuit_breaker.hpp"

#include "edgeguard/resilience/power.hpp"

#include <algorithm>
#include <cmath>

namespace edgeguard::resilience {

namespace {

constexpr uint32_t kEpochMask = 0x3fffffff;
constexpr uint32_t kMaxMs = 0x7fffffff;

bool percent(double v) { return std::isfinite(v) && v > 0 && v <= 100; }

// Whether `part` of `whole` calls reaches `threshold` percent, without rounding a rate.
bool reaches(uint32_t part, uint32_t whole, double threshold) {
  return static_cast<double>(part) * 100 >= threshold * static_cast<double>(whole);
}

}  // namespace

Check validate(const Config& c) noexcept {
  if (Check w = validate(c.window)) return w;
  if (c.minimum_calls < 1 || c.minimum_calls > 1000000)
    return fail(Status::invalid_config, "minimumCalls must be an integer from 1 to 1000000");
  if (!percent(c.failure_rate_threshold))
    return fail(Status::invalid_config, "failureRateThreshold must be a number above 0, at most 100");
  if (!percent(c.slow_call_rate_threshold))
    return fail(Status::invalid_config, "slowCallRateThreshold must be a number above 0, at most 100");
  if (c.slow_call_duration_ms > kMaxMs) return fail(Status::invalid_config, "slowCallDurationMs must be an integer from 0 to 2147483647");
  if (c.consecutive_failures > 1000000)
    return fail(Status::invalid_config, "consecutiveFailures must be an integer from 0 to 1000000");
  if (c.open_ms < 1 || c.open_ms > kMaxMs) return fail(Status::invalid_config, "openMs must be an integer from 1 to 2147483647");
  if (!std::isfinite(c.open_backoff_multiplier) || c.open_backoff_multiplier < 1 ||
      c.open_backoff_multiplier > 1000)
    return fail(Status::invalid_config, "openBackoff.multiplier must be a number from 1 to 1000");
  if (c.open_max_ms < c.open_ms || c.open_max_ms > kMaxMs)
    return fail(Status::invalid_config, "openBackoff.maxMs must be an integer from openMs to 2147483647");
  if (c.half_open_calls < 1 || c.half_open_calls > 100000)
    return fail(Status::invalid_config, "halfOpenCalls must be an integer from 1 to 100000");
  if (c.half_open_max_ms > kMaxMs) return fail(Status::invalid_config, "halfOpenMaxMs must be an integer from 0 to 2147483647");
  return {};
}

CircuitBreaker::CircuitBreaker(const Config& config) : config_(config), window_(config.window) {}

uint32_t CircuitBreaker::minimum_calls() const {
  // A count window can never hold more calls than its size, so a larger minimum would never trip.
  if (config_.window.type == WindowType::count) return std::min(config_.minimum_calls, config_.window.size);
  return config_.minimum_calls;
}

int32_t CircuitBreaker::permit(bool admitted) const {
  const int32_t p = static_cast<int32_t>(epoch_ + 1);
  return admitted ? p : -p;
}

void CircuitBreaker::transition(State to, int64_t now_ms, Reason why) {
  previous_ = state_;
  state_ = to;
  reason_ = why;
  epoch_ = (epoch_ + 1) & kEpochMask;
  state_since_ = now_ms;
  exceeded_ = false;
  switch (to) {
    case State::open: {
      ++trips_;
      const double grown = config_.open_ms * power(config_.open_backoff_multiplier, trips_ - 1);
      const double max_ms = static_cast<double>(config_.open_max_ms);
      // Written so that a NaN (never expected) opens for the longest time, never for none.
      open_until_ = now_ms + static_cast<int64_t>(grown < max_ms ? grown : max_ms);
      break;
    }
    case State::half_open:
      trials_issued_ = trials_done_ = trial_failures_ = trial_slow_ = 0;
      break;
    case State::closed:
    case State::metrics_only:
      window_.clear();
      consecutive_ = 0;
      trips_ = 0;
      break;
    case State::forced_open:
    case State::disabled:
      break;
  }
}

void CircuitBreaker::advance(int64_t now_ms) {
  if (now_ms > latest_) latest_ = now_ms;
  // A clock that stepped back to before the last transition: the state's times move back with
  // it, so that an open circuit stays open for its open time, not that plus the step.
  if (now_ms < state_since_) {
    if (state_ == State::open) open_until_ -= state_since_ - now_ms;
    state_since_ = now_ms;
  }
  if (state_ == State::open && now_ms >= open_until_) {
    transition(State::half_open, now_ms, Reason::open_elapsed);
  } else if (state_ == State::half_open && config_.half_open_max_ms > 0 &&
             now_ms - state_since_ >= config_.half_open_max_ms) {
    transition(State::open, now_ms, Reason::half_open_timeout);
  }
}

State CircuitBreaker::state(int64_t now_ms) {
  advance(now_ms);
  return state_;
}

int32_t CircuitBreaker::try_acquire(int64_t now_ms) {
  advance(now_ms);
  bool admitted = false;
  switch (state_) {
    case State::closed:
    case State::disabled:
    case State::metrics_only:
      return permit(true);
    case State::half_open:
      admitted = trials_issued_ < config_.half_open_calls;
      if (admitted) ++trials_issued_;
      break;
    case State::open:
    case State::forced_open:
      break;
  }
  if (!admitted) ++not_permitted_;
  return permit(admitted);
}

uint32_t CircuitBreaker::on_result(int64_t now_ms, int32_t permit, Outcome outcome, uint32_t duration_ms) {
  const uint32_t before = epoch_;
  advance(now_ms);
  const uint32_t moved = before != epoch_ ? uint32_t{kStateChanged} : 0u;
  return moved | record(now_ms, permit, outcome, duration_ms);
}

uint32_t CircuitBreaker::record(int64_t now_ms, int32_t permit, Outcome outcome, uint32_t duration_ms) {
  if (permit != 0 && epoch_of(permit) != epoch_) return 0;  // the breaker moved on since
  const bool failure = outcome == Outcome::failure;
  const bool slow = config_.slow_call_duration_ms > 0 && duration_ms >= config_.slow_call_duration_ms;
  switch (state_) {
    case State::closed:
    case State::metrics_only:
      if (outcome == Outcome::ignored) return 0;
      return record_closed(now_ms, failure, slow);
    case State::half_open:
      // Each trial permit counts once: a report beyond the permits handed out is a repeat.
      if (trials_done_ >= trials_issued_) return 0;
      if (outcome == Outcome::ignored) {
        // An ignored trial tells nothing: hand its permit to another call.
        --trials_issued_;
        return 0;
      }
      return record_trial(now_ms, failure, slow);
    case State::open:
    case State::forced_open:
    case State::disabled:
      return 0;
  }
  return 0;
}

uint32_t CircuitBreaker::record_closed(int64_t now_ms, bool failure, bool slow) {
  window_.record(now_ms, failure, slow);
  consecutive_ = failure ? consecutive_ + 1 : 0;
  const Totals& t = window_.totals(now_ms);
  uint32_t events = 0;
  if (t.calls >= minimum_calls()) {
    if (reaches(t.failures, t.calls, config_.failure_rate_threshold)) events |= kFailureRateExceeded;
    if (reaches(t.slow, t.calls, config_.slow_call_rate_threshold)) events |= kSlowCallRateExceeded;
  }
  const bool streak = config_.consecutive_failures > 0 && consecutive_ >= config_.consecutive_failures;
  if (state_ == State::metrics_only) {
    // Observing only: report each threshold crossing once, not on every call above it.
    const bool was = exceeded_;
    exceeded_ = events != 0;
    return was ? 0 : events;
  }
  if (events == 0 && !streak) return 0;
  const Reason why = (events & kFailureRateExceeded)     ? Reason::failure_rate
                     : (events & kSlowCallRateExceeded) ? Reason::slow_call_rate
                                                        : Reason::consecutive_failures;
  transition(State::open, now_ms, why);
  return events | kStateChanged;
}

uint32_t CircuitBreaker::record_trial(int64_t now_ms, bool failure, bool slow) {
  ++trials_done_;
  trial_failures_ += failure;
  trial_slow_ += slow;
  const uint32_t n = config_.half_open_calls;
  uint32_t events = 0;
  if (reaches(trial_failures_, n, config_.failure_rate_threshold)) events |= kFailureRateExceeded;
  if (reaches(trial_slow_, n, config_.slow_call_rate_threshold)) events |= kSlowCallRateExceeded;
  if (events != 0) {
    transition(State::open, now_ms,
               (events & kFailureRateExceeded) ? Reason::failure_rate : Reason::slow_call_rate);
    return events | kStateChanged;
  }
  // Decide as soon as the remaining trials cannot change the verdict.
  const uint32_t left = n - trials_done_;
  if (reaches(trial_failures_ + left, n, config_.failure_rate_threshold) ||
      reaches(trial_slow_ + left, n, config_.slow_call_rate_threshold))
    return 0;
  transition(State::closed, now_ms, Reason::trials_passed);
  return kStateChanged;
}

uint32_t CircuitBreaker::success_allowance() {
  if (state_ != State::closed || config_.window.type != WindowType::count || config_.slow_call_duration_ms > 0) return 0;
  // Successes only lower the failure rate, but one can bring the window up to minimum_calls:
  // it trips there if the failures already buffered reach the threshold of minimum_calls.
  const Totals& t = window_.totals(0);
  const uint32_t minimum = minimum_calls();
  if (t.calls < minimum && reaches(t.failures, minimum, config_.failure_rate_threshold)) {
    return minimum - t.calls - 1;
  }
  return UINT32_MAX;
}

int64_t CircuitBreaker::refusing_until() const {
  if (state_ == State::open) return open_until_;
  return state_ == State::forced_open ? INT64_MAX : INT64_MIN;
}

uint32_t CircuitBreaker::record_successes(int64_t now_ms, int32_t permit, uint32_t n) {
  uint32_t events = 0;
  // Past a full window, earlier successes would only have been overwritten by later ones.
  const uint32_t effective = config_.window.type == WindowType::count ? std::min(n, config_.window.size) : n;
  for (uint32_t i = 0; i < effective && events == 0; ++i) events = on_result(now_ms, permit, Outcome::success, 0);
  return events;
}

void CircuitBreaker::reset(int64_t now_ms) {
  transition(State::closed, now_ms, Reason::manual);
  not_permitted_ = 0;
}

bool CircuitBreaker::trip(int64_t now_ms) {
  advance(now_ms);
  if (state_ != State::closed) return false;
  transition(State::open, now_ms, Reason::quorum);
  return true;
}

bool CircuitBreaker::adopt_trials(int64_t now_ms, bool passed) {
  advance(now_ms);
  if (state_ != State::half_open) return false;
  transition(passed ? State::closed : State::open, now_ms, Reason::shared_trials);
  return true;
}

int64_t CircuitBreaker::retry_after_ms(int64_t now_ms) {
  advance(now_ms);
  if (state_ == State::open) return open_until_ - now_ms;
  return state_ == State::forced_open ? -1 : 0;
}

Metrics CircuitBreaker::metrics(int64_t now_ms) {
  Metrics m;
  m.retry_after_ms = retry_after_ms(now_ms);
  m.state = state_;
  m.not_permitted_calls = not_permitted_;
  m.consecutive_failures = consecutive_;
  m.trips = trips_;
  if (state_ == State::half_open) {
    m.buffered_calls = trials_done_;
    m.failed_calls = trial_failures_;
    m.slow_calls = trial_slow_;
    m.half_open_permits_left = config_.half_open_calls - trials_issued_;
    if (trials_done_ > 0) {
      m.failure_rate = 100.0 * trial_failures_ / trials_done_;
      m.slow_call_rate = 100.0 * trial_slow_ / trials_done_;
    }
    return m;
  }
  const Totals& t = window_.totals(now_ms);
  m.buffered_calls = t.calls;
  m.failed_calls = t.failures;
  m.slow_calls = t.slow;
  m.slow_failed_calls = t.slow_failures;
  if (t.calls >= minimum_calls() && t.calls > 0) {
    m.failure_rate = 100.0 * t.failures / t.calls;
    m.slow_call_rate = 100.0 * t.slow / t.calls;
  }
  return m;
}

const char* state_name(State s) {
  switch (s) {
    case State::closed: return "closed";
    case State::open: return "open";
    case State::half_open: return "halfOpen";
    case State::forced_open: return "forcedOpen";
    case State::disabled: return "disabled";
    case State::metrics_only: return "metricsOnly";
  }
  return "closed";
}

const char* reason_name(Reason r) {
  switch (r) {
    case Reason::none: return "none";
    case Reason::failure_rate: return "failureRate";
    case Reason::slow_call_rate: return "slowCallRate";
    case Reason::consecutive_failures: return "consecutiveFailures";
    case Reason::trials_passed: return "trialsPassed";
    case Reason::open_elapsed: return "openElapsed";
    case Reason::half_open_timeout: return "halfOpenTimeout";
    case Reason::manual: return "manual";
    case Reason::restored: return "restored";
    case Reason::quorum: return "quorum";
    case Reason::shared_trials: return "sharedTrials";
  }
  return "none";
}

}  // namespace edgeguard::resilience
