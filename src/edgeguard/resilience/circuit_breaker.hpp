#pragma once
// A circuit breaker with resilience4j's states and rules, driven entirely by the caller's clock:
// no timers, the open -> half-open transition happens when the state is next read.
//
// A call asks try_acquire(now) for a permit and reports its outcome with the permit. A permit
// carries the breaker's epoch (bumped on every transition), so an outcome that arrives after the
// breaker moved on (a slow call started while closed, ending during half-open) is not mistaken
// for a trial call. Permit 0 means "no permit": the outcome counts in the current state. In
// half-open, outcomes count only up to the trial permits handed out: a repeat is not a trial.
//
// Half-open decides as soon as the remaining trials can no longer change the verdict: the same
// verdict resilience4j reaches after all of them, reached sooner.
#include <cstdint>
#include <string>

#include "edgeguard/resilience/status.hpp"
#include "edgeguard/resilience/window.hpp"

namespace edgeguard::resilience {

// seam: breaker
enum class State : uint8_t { closed = 0, open = 1, half_open = 2, forced_open = 3, disabled = 4, metrics_only = 5 };
// seam: breaker
enum class Outcome : uint8_t { success = 0, failure = 1, ignored = 2 };

// Why the breaker last changed state.
enum class Reason : uint8_t {
  none = 0,
  failure_rate = 1,
  slow_call_rate = 2,
  consecutive_failures = 3,
  trials_passed = 4,      // half-open -> closed
  open_elapsed = 5,       // open -> half-open
  half_open_timeout = 6,  // half-open -> open: trial calls never reported back
  manual = 7,             // forceOpen / disable / metricsOnly / reset
  restored = 8,
  quorum = 9,          // closed -> open: enough other instances reported open (js/shared/)
  shared_trials = 10,  // half-open -> open / closed: another instance's trial calls decided
};

// Bits returned by on_result; kStateChanged also when the state advanced lazily on the way.
// seam: breaker
enum Event : uint32_t {
  kStateChanged = 1,
  kFailureRateExceeded = 2,
  kSlowCallRateExceeded = 4,
};

struct Config {
  WindowConfig window;
  uint32_t minimum_calls = 20;
  double failure_rate_threshold = 50;       // percent, (0, 100]
  // 0: no call is slow. Off by default, unlike resilience4j's 60 s: at the edge a call is bounded
  // by its timeout long before that, and timing every call costs a second clock read.
  uint32_t slow_call_duration_ms = 0;
  double slow_call_rate_threshold = 100;    // percent, (0, 100]
  uint32_t consecutive_failures = 0;        // 0: rule off
  uint32_t open_ms = 60000;
  double open_backoff_multiplier = 1;       // open_ms grows by this on each trip without closing
  uint32_t open_max_ms = 60000;
  uint32_t half_open_calls = 10;
  uint32_t half_open_max_ms = 0;            // 0: wait for the trial calls forever
};

Check validate(const Config& c) noexcept;

struct Metrics {
  State state = State::closed;
  uint32_t buffered_calls = 0;
  uint32_t failed_calls = 0;
  uint32_t slow_calls = 0;
  uint32_t slow_failed_calls = 0;
  double failure_rate = -1;  // percent; -1 until minimum_calls are buffered
  double slow_call_rate = -1;
  uint64_t not_permitted_calls = 0;
  uint32_t consecutive_failures = 0;
  uint32_t trips = 0;               // opens since the breaker last closed
  int64_t retry_after_ms = 0;       // open: time left; forced open: -1 (unknown)
  uint32_t half_open_permits_left = 0;
};

class CircuitBreaker {
 public:
  explicit CircuitBreaker(const Config& config);  // config must pass validate()

  State state(int64_t now_ms);
  // > 0: permitted, the value is the permit. < 0: not permitted. Both carry the epoch, so the
  // caller sees a state change by comparing epochs (see epoch_of).
  int32_t try_acquire(int64_t now_ms);
  uint32_t on_result(int64_t now_ms, int32_t permit, Outcome outcome, uint32_t duration_ms);

  // How many successes can be recorded later, as one batch, without changing anything the
  // breaker decides in between: none unless closed on a count window without slow-call tracking
  // (where a success needs no time), and then until a success could make minimum_calls trip it.
  // Lets a caller skip the boundary on the common path. UINT32_MAX: no limit.
  uint32_t success_allowance();
  // Records n successes (n within success_allowance(), or it trips as n single calls would).
  uint32_t record_successes(int64_t now_ms, int32_t permit, uint32_t n);

  // The mirror of success_allowance for an open circuit: until this time (ms) every
  // try_acquire is refused whatever else is recorded, so a caller may refuse calls itself and
  // report them later, as one batch, with record_rejections. Open: the end of its open time;
  // forced open: INT64_MAX; any other state: INT64_MIN (nothing may be refused unasked).
  int64_t refusing_until() const;
  void record_rejections(uint64_t n) { not_permitted_ += n; }

  void force_open(int64_t now_ms) { transition(State::forced_open, now_ms, Reason::manual); }
  void disable(int64_t now_ms) { transition(State::disabled, now_ms, Reason::manual); }
  void metrics_only(int64_t now_ms) { transition(State::metrics_only, now_ms, Reason::manual); }
  void reset(int64_t now_ms);

  // What other instances decided, adopted as if decided here (shared breakers, js/shared/).
  // trip: closed -> open for the usual (backed-off) open time, then half-open as after any trip.
  // adopt_trials: half-open -> open (another instance's trials failed) or closed (they passed).
  // Any other state is left alone: false. A trip never overrides a manual state.
  bool trip(int64_t now_ms);
  bool adopt_trials(int64_t now_ms, bool passed);

  Metrics metrics(int64_t now_ms);
  int64_t retry_after_ms(int64_t now_ms);
  uint32_t epoch() const { return epoch_; }
  // The newest time the breaker has read (0 before any): reading it again changes nothing,
  // which makes it the time to use when the caller has none.
  int64_t latest() const { return latest_; }
  static uint32_t epoch_of(int32_t permit) { return static_cast<uint32_t>(permit < 0 ? -permit : permit) - 1; }
  Reason reason() const { return reason_; }
  State previous_state() const { return previous_; }
  const Config& config() const { return config_; }

  // Whole state as JSON text, for sharing through KV or a Durable Object. restore() accepts a
  // snapshot of a breaker with the same window shape; it never trusts counts it can recompute.
  std::string snapshot(int64_t now_ms);
  Check restore(const char* json, size_t len);

 private:
  void transition(State to, int64_t now_ms, Reason why);
  void advance(int64_t now_ms);
  uint32_t record(int64_t now_ms, int32_t permit, Outcome outcome, uint32_t duration_ms);
  uint32_t record_closed(int64_t now_ms, bool failure, bool slow);
  uint32_t record_trial(int64_t now_ms, bool failure, bool slow);
  uint32_t minimum_calls() const;
  int32_t permit(bool admitted) const;

  Config config_;
  Window window_;
  State state_ = State::closed;
  State previous_ = State::closed;
  Reason reason_ = Reason::none;
  uint32_t epoch_ = 0;  // 30 bits, so a permit fits an int32 with its sign
  uint32_t trips_ = 0;
  uint32_t consecutive_ = 0;
  int64_t state_since_ = 0;
  int64_t open_until_ = 0;
  int64_t latest_ = 0;
  uint64_t not_permitted_ = 0;
  bool exceeded_ = false;  // metrics-only: thresholds were reached on the last call

  // Half-open trial bookkeeping.
  uint32_t trials_issued_ = 0;
  uint32_t trials_done_ = 0;
  uint32_t trial_failures_ = 0;
  uint32_t trial_slow_ = 0;

  friend struct SnapshotCodec;
};

const char* state_name(State s);
const char* reason_name(Reason r);

}  // namespace edgeguard::resilience
