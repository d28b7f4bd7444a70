// Circuit breaker, retry and bulkhead across the boundary. Times are doubles (JS numbers hold
// any Date.now() exactly); permits and tickets are numbers; options arrive as JSON text, read and
// checked by the core before anything is allocated.
#include <cmath>
#include <cstdint>
#include <new>
#include <string>
#include <utility>

#include "bridge.hpp"
#include "bridge_error.hpp"
#include "edgeguard/resilience/breaker_options.hpp"
#include "edgeguard/resilience/bulkhead_options.hpp"
#include "edgeguard/resilience/retry_options.hpp"
#include "edgeguard/steady_time.hpp"

using namespace edgeguard::resilience;

namespace {

ErrorCode code_of(Status s) {
  switch (s) {
    case Status::ok: return ErrorCode::ok;
    case Status::invalid_snapshot: return ErrorCode::breaker_invalid_snapshot;
    case Status::snapshot_mismatch: return ErrorCode::breaker_snapshot_mismatch;
    case Status::out_of_memory: return ErrorCode::out_of_memory;
    default: return ErrorCode::config_invalid;
  }
}

uint32_t report(Check c) { return c ? report_error(code_of(c.status), "", c.message) : 0; }
uint32_t report(const OptionError& e) { return e ? report_error(code_of(Status(e.status)), e.option(), e.message()) : 0; }

// Allocation failures are the only exceptions the core can raise; they stop here as a status.
template <class T, class... Args>
T* make(Args&&... args) {
  try {
    return new T(std::forward<Args>(args)...);
  } catch (const std::bad_alloc&) {
    report(fail(Status::out_of_memory, "out of memory"));
    return nullptr;
  }
}

// Options arrive as JSON text (ptr, len) read by the core's options readers (which never throw)
// into `config` (and the reader's further outputs, `more`); a refused text, or memory running out
// while reading it, is reported through eg_last_error().
template <class T, class C, class... More>
T* create(const char* text, uint32_t len, OptionError (*read)(const char*, size_t, C&, More&...) noexcept,
          More&... more) {
  if (!text) {
    report(fail(Status::invalid_config, "options are missing"));
    return nullptr;
  }
  C config;
  const OptionError e = read(text, len, config, more...);
  if (e) {
    report(e);
    return nullptr;
  }
  return make<T>(config, more...);
}

// A NaN or absurd clock reading must not be undefined behaviour when converted.
int64_t ms(double t) {
  if (!(t > -9e15)) return t != t ? 0 : -9'000'000'000'000'000;
  return static_cast<int64_t>(t < 9e15 ? t : 9e15);
}

// A time no clock gives (js/clock.js refuses them first) decides nothing: an acquire is refused,
// an outcome only frees its permit, and anything else reads the breaker at the newest time it
// has seen, so no deadline passes and no window slides (or steps back) because of it.
bool bad_time(double t) { return !edgeguard::is_clock_time(t); }
int64_t at(const CircuitBreaker* b, double t) { return bad_time(t) ? b->latest() : static_cast<int64_t>(t); }

// Metrics as doubles, read by js/breaker.js by these slots.
// seam: breaker
enum MetricsSlot : uint32_t {
  kState, kBufferedCalls, kFailedCalls, kSlowCalls, kSlowFailedCalls, kFailureRate, kSlowCallRate,
  kNotPermittedCalls, kConsecutiveFailures, kTrips, kRetryAfterMs, kHalfOpenPermitsLeft, kCount
};
double metrics[kCount];

// What the object a constructor here returned last took from its options (their defaults are
// the core's) and js/ needs: read right after the constructor, by these slots, as doubles.
// seam: breaker
enum class SettingSlot : uint32_t {
  window_type, slow_call_duration_ms, open_ms, half_open_max_ms,  // CircuitBreaker
  max_concurrent, max_queue,                                       // Bulkhead
  max_attempts, max_ms, max_retry_after_ms,                        // Retry
  count
};
double settings[size_t(SettingSlot::count)];
void set(SettingSlot slot, double value) { settings[size_t(slot)] = value; }
std::string text;  // the last snapshot, valid until the next one

}  // namespace

EG_EXPORT const double* eg_resilience_settings() { return settings; }

EG_COLD_EXPORT CircuitBreaker* eg_breaker_new(const char* options, uint32_t len) {
  CircuitBreaker* b = create<CircuitBreaker>(options, len, read_breaker_options);
  if (b) {
    const Config& c = b->config();
    set(SettingSlot::window_type, double(c.window.type));
    set(SettingSlot::slow_call_duration_ms, c.slow_call_duration_ms);
    set(SettingSlot::open_ms, c.open_ms);
    set(SettingSlot::half_open_max_ms, c.half_open_max_ms);
  }
  return b;
}

EG_EXPORT void eg_breaker_free(CircuitBreaker* b) { delete b; }

EG_EXPORT int32_t eg_breaker_acquire(CircuitBreaker* b, double now) {
  if (bad_time(now)) return -static_cast<int32_t>(b->epoch() + 1);
  return b->try_acquire(static_cast<int64_t>(now));
}

EG_EXPORT uint32_t eg_breaker_result(CircuitBreaker* b, double now, int32_t permit, uint32_t outcome,
                                     double duration_ms) {
  const bool bad = bad_time(now);
  if (bad) outcome = uint32_t(Outcome::ignored);
  const double d = duration_ms < 0 ? 0 : duration_ms > 4294967295.0 ? 4294967295.0 : duration_ms;
  return b->on_result(bad ? b->latest() : static_cast<int64_t>(now), permit, outcome > uint32_t(Outcome::ignored) ? Outcome::ignored : static_cast<Outcome>(outcome),
                      static_cast<uint32_t>(d));
}

EG_EXPORT double eg_breaker_allowance(CircuitBreaker* b) { return double(b->success_allowance()); }
EG_EXPORT uint32_t eg_breaker_successes(CircuitBreaker* b, double now, int32_t permit, uint32_t n) {
  if (bad_time(now)) return 0;
  return b->record_successes(static_cast<int64_t>(now), permit, n);
}

// -Infinity (refuses nothing unasked) and +Infinity (forced open: refuses until told) for the
// core's INT64_MIN and INT64_MAX, so js/breaker.js compares times and needs no sentinels.
EG_EXPORT double eg_breaker_refusing_until(CircuitBreaker* b) {
  const int64_t until = b->refusing_until();
  if (until == INT64_MIN) return -HUGE_VAL;
  if (until == INT64_MAX) return HUGE_VAL;
  return double(until);
}
EG_EXPORT void eg_breaker_rejections(CircuitBreaker* b, double n) { b->record_rejections(uint64_t(n)); }
EG_EXPORT uint32_t eg_breaker_state(CircuitBreaker* b, double now) { return uint32_t(b->state(at(b, now))); }
EG_EXPORT uint32_t eg_breaker_epoch(CircuitBreaker* b) { return b->epoch(); }
EG_EXPORT const char* eg_breaker_reason(CircuitBreaker* b) { return reason_name(b->reason()); }
EG_EXPORT double eg_breaker_retry_after(CircuitBreaker* b, double now) {
  return double(b->retry_after_ms(at(b, now)));
}

// 0 force open, 1 disable, 2 metrics only, 3 reset; what other instances decided (js/shared/):
// 4 trip, 5 adopt failed trials, 6 adopt passed trials (each a no-op in the states it leaves alone).
// What eg_breaker_set does; js/breaker-set.js's SET is this.
// seam: breaker
enum Command : uint32_t {
  kForceOpen = 0,
  kDisable = 1,
  kMetricsOnly = 2,
  kReset = 3,
  kTrip = 4,
  kTrialsFailed = 5,
  kTrialsPassed = 6,
};

// An unknown code changes nothing: never a reset (a closed circuit) by accident.
EG_COLD_EXPORT void eg_breaker_set(CircuitBreaker* b, uint32_t what, double now) {
  switch (what) {
    case kForceOpen: b->force_open(at(b, now)); break;
    case kDisable: b->disable(at(b, now)); break;
    case kMetricsOnly: b->metrics_only(at(b, now)); break;
    case kReset: b->reset(at(b, now)); break;
    case kTrip: b->trip(at(b, now)); break;
    case kTrialsFailed: b->adopt_trials(at(b, now), false); break;
    case kTrialsPassed: b->adopt_trials(at(b, now), true); break;
    default: break;
  }
}

EG_COLD_EXPORT const double* eg_breaker_metrics(CircuitBreaker* b, double now) {
  const Metrics m = b->metrics(at(b, now));
  metrics[kState] = double(m.state);
  metrics[kBufferedCalls] = double(m.buffered_calls);
  metrics[kFailedCalls] = double(m.failed_calls);
  metrics[kSlowCalls] = double(m.slow_calls);
  metrics[kSlowFailedCalls] = double(m.slow_failed_calls);
  metrics[kFailureRate] = m.failure_rate;
  metrics[kSlowCallRate] = m.slow_call_rate;
  metrics[kNotPermittedCalls] = double(m.not_permitted_calls);
  metrics[kConsecutiveFailures] = double(m.consecutive_failures);
  metrics[kTrips] = double(m.trips);
  metrics[kRetryAfterMs] = double(m.retry_after_ms);
  metrics[kHalfOpenPermitsLeft] = double(m.half_open_permits_left);
  return metrics;
}

// Null when memory ran out.
EG_COLD_EXPORT const char* eg_breaker_snapshot(CircuitBreaker* b, double now) {
  try {
    text = b->snapshot(at(b, now));
    return text.c_str();
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

EG_COLD_EXPORT uint32_t eg_breaker_restore(CircuitBreaker* b, const char* json, uint32_t len) {
  if (!json) return report(fail(Status::invalid_snapshot, "snapshot is too large"));
  try {
    return report(b->restore(json, len));
  } catch (const std::bad_alloc&) {
    return report(fail(Status::out_of_memory, "out of memory reading the snapshot"));
  }
}

EG_COLD_EXPORT Retry* eg_retry_new(const char* options, uint32_t len) {
  uint64_t seed = 0;
  Retry* r = create<Retry>(options, len, read_retry_options, seed);
  if (r) {
    const RetryConfig& c = r->config();
    set(SettingSlot::max_attempts, c.max_attempts);
    set(SettingSlot::max_ms, c.backoff.max_ms);
    set(SettingSlot::max_retry_after_ms, c.max_retry_after_ms);
  }
  return r;
}

EG_EXPORT void eg_retry_free(Retry* r) { delete r; }
EG_EXPORT void eg_retry_reseed(Retry* r, uint32_t lo, uint32_t hi) { r->reseed((uint64_t{hi} << 32) | lo); }
EG_EXPORT void eg_retry_on_call(Retry* r, double now) {
  if (!bad_time(now)) r->on_call(ms(now));
}
EG_EXPORT double eg_retry_next_delay(Retry* r, double now, uint32_t attempts, double previous_ms,
                                     double retry_after_ms) {
  if (bad_time(now)) return double(Stop::budget_exhausted);  // no budget can be read at no time: no retry
  const double prev = previous_ms < 0 ? 0 : previous_ms > 4294967295.0 ? 4294967295.0 : previous_ms;
  // A Retry-After beyond what any config accepts is simply "too long".
  const double after = retry_after_ms > 9e15 ? 9e15 : retry_after_ms;
  return double(r->next_delay(ms(now), attempts, static_cast<uint32_t>(prev), after < 0 ? -1 : ms(after)));
}
EG_EXPORT double eg_retry_budget_balance(Retry* r, double now) {
  if (!r->budget()) return -1;
  return bad_time(now) ? 0 : r->budget()->balance(ms(now));  // no time, no retry affordable
}
EG_EXPORT double eg_retry_budget_exhausted(Retry* r) {
  return r->budget() ? double(r->budget()->exhausted()) : 0;
}

EG_COLD_EXPORT Bulkhead* eg_bulkhead_new(const char* options, uint32_t len) {
  Bulkhead* b = create<Bulkhead>(options, len, read_bulkhead_options);
  if (b) {
    set(SettingSlot::max_concurrent, b->config().max_concurrent);
    set(SettingSlot::max_queue, b->config().max_queue);
  }
  return b;
}

EG_EXPORT void eg_bulkhead_free(Bulkhead* b) { delete b; }
EG_EXPORT double eg_bulkhead_acquire(Bulkhead* b) { return double(b->acquire()); }
EG_EXPORT double eg_bulkhead_release(Bulkhead* b) { return double(b->release()); }
EG_EXPORT uint32_t eg_bulkhead_cancel(Bulkhead* b, double ticket) { return b->cancel(int64_t(ticket)); }
EG_EXPORT uint32_t eg_bulkhead_running(Bulkhead* b) { return b->running(); }
EG_EXPORT uint32_t eg_bulkhead_queued(Bulkhead* b) { return b->queued(); }
EG_EXPORT double eg_bulkhead_rejected(Bulkhead* b) { return double(b->rejected()); }
