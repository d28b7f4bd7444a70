#include "edgeguard/resilience/breaker_options.hpp"

#include <algorithm>

namespace edgeguard::resilience {

namespace {

const char* const kWindowTypes[] = {"count", "time"};
// A time window given in seconds (window.size) rather than window.sizeMs.
constexpr uint32_t kMaxWindowSeconds = kMaxWindowMs / 1000;
static_assert(kMaxWindowSeconds == 86400, "the refusal of window.size below says 86400");
// The longest open time a backoff grows to by default, as resilience4j's.
constexpr uint32_t kBackoffMaxMs = 600000;

void read_window(OptionReader& r, WindowConfig& w) {
  const uint32_t o = r.object(OptionReader::root(), "window", "window");
  uint32_t type = uint32_t(WindowType::count);
  r.choice(o, "type", "window.type", kWindowTypes, 2, "one of 'count', 'time'", type);
  w.type = WindowType(type);
  if (w.type == WindowType::count) {
    r.integer(o, "size", w.size);
    return;
  }
  const uint32_t seconds = r.member(o, "size");
  w.window_ms = 60000;
  if (seconds != OptionReader::kNone) {
    if (r.member(o, "sizeMs") != OptionReader::kNone) {
      r.refuse("window.size", "absent when window.sizeMs is given (size is in seconds)");
    }
    uint32_t s = 0;
    r.integer(o, "size", s);
    if (s < 1 || s > kMaxWindowSeconds) {
      r.refuse("window.size", "an integer from 1 to 86400");
    }
    w.window_ms = s * 1000;
  }
  r.integer(o, "sizeMs", w.window_ms);
  // One-second buckets as resilience4j, unless the span is not a whole number of seconds.
  const uint32_t ms = w.window_ms;
  w.buckets = ms % 1000 == 0 && ms <= 3600000 ? ms / 1000 : ms % 10 == 0 ? 10 : 1;
  r.integer(o, "buckets", w.buckets);
}

}  // namespace

OptionError read_breaker_options(const char* text, size_t len, Config& out) noexcept {
  OptionReader r = option_reader();
  if (!r.parse(text, len)) return r.error();
  Config c;
  read_window(r, c.window);
  const uint32_t o = OptionReader::root();
  r.integer(o, "minimumCalls", c.minimum_calls);
  r.number(o, "failureRateThreshold", c.failure_rate_threshold);
  r.integer(o, "slowCallDurationMs", c.slow_call_duration_ms);
  r.number(o, "slowCallRateThreshold", c.slow_call_rate_threshold);
  r.integer(o, "consecutiveFailures", c.consecutive_failures);
  r.integer(o, "openMs", c.open_ms);
  const uint32_t backoff = r.object(o, "openBackoff", "openBackoff");
  r.number(backoff, "multiplier", c.open_backoff_multiplier);
  c.open_max_ms = c.open_backoff_multiplier > 1 ? std::max(c.open_ms, kBackoffMaxMs) : c.open_ms;
  r.integer(backoff, "maxMs", c.open_max_ms);
  r.integer(o, "halfOpenCalls", c.half_open_calls);
  r.integer(o, "halfOpenMaxMs", c.half_open_max_ms);
  if (!r.failed()) refuse(r, validate(c));
  if (!r.failed()) out = c;
  return r.error();
}

}  // namespace edgeguard::resilience
