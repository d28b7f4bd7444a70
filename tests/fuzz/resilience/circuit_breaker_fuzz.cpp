// Drives a circuit breaker with arbitrary bytes: either a snapshot to restore (then it must
// round-trip) or a stream of operations with arbitrary times. Invariants are checked after
// every step; ASan/UBSan catch the rest.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "edgeguard/resilience/circuit_breaker.hpp"

using namespace edgeguard::resilience;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

Config config_from(uint8_t b) {
  Config c;
  if (b & 1) {
    c.window.type = WindowType::time;
    c.window.window_ms = 1000;
    c.window.buckets = 4;
  } else {
    c.window.size = 1 + (b >> 4);
  }
  c.minimum_calls = 1 + ((b >> 1) & 7);
  c.consecutive_failures = (b >> 5) & 3;
  c.slow_call_duration_ms = (b & 2) ? 50 : 0;
  c.open_ms = 100;
  c.open_backoff_multiplier = 2;
  c.open_max_ms = 1000;
  c.half_open_calls = 1 + ((b >> 3) & 3);
  c.half_open_max_ms = (b & 4) ? 300 : 0;
  return c;
}

void check_invariants(CircuitBreaker& b, int64_t now) {
  const Metrics m = b.metrics(now);
  check(m.failed_calls <= m.buffered_calls && m.slow_calls <= m.buffered_calls);
  check(m.slow_failed_calls <= m.failed_calls && m.slow_failed_calls <= m.slow_calls);
  if (b.config().window.type == WindowType::count && m.state != State::half_open) {
    check(m.buffered_calls <= b.config().window.size);
  }
  check(m.half_open_permits_left <= b.config().half_open_calls);
  check(m.state != State::open || m.retry_after_ms > 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const Config c = config_from(data[1]);
  check(!validate(c));
  CircuitBreaker b(c);
  if (data[0] & 1) {
    const char* text = reinterpret_cast<const char*>(data + 2);
    if (!b.restore(text, size - 2)) {
      const std::string once = b.snapshot(0);
      CircuitBreaker copy(c);
      check(!copy.restore(once.data(), once.size()));
      check(copy.snapshot(0) == once);
    }
    check_invariants(b, 0);
    return 0;
  }
  int64_t now = 0;
  int32_t held[4] = {0, 0, 0, 0};
  for (size_t i = 2; i + 1 < size; i += 2) {
    const uint8_t op = data[i], arg = data[i + 1];
    now += (op & 0x80) ? arg * 7 : 0;
    switch (op & 7) {
      case 0: held[arg & 3] = b.try_acquire(now); break;
      case 1: b.on_result(now, held[arg & 3], static_cast<Outcome>(arg % 3), arg); break;
      case 2: b.on_result(now, b.try_acquire(now), static_cast<Outcome>(arg % 3), arg); break;
      case 3: b.record_successes(now, held[arg & 3], arg); break;
      case 4: b.force_open(now); break;
      case 5: (arg & 1) ? b.disable(now) : b.metrics_only(now); break;
      case 6: b.reset(now); break;
      default: {
        const std::string s = b.snapshot(now);
        CircuitBreaker copy(c);
        check(!copy.restore(s.data(), s.size()));
        check(copy.snapshot(now) == s);
      }
    }
    check_invariants(b, now);
  }
  return 0;
}
