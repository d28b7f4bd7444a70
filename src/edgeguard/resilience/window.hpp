#pragma once
// The sliding window of call outcomes a circuit breaker decides on: either the last `size`
// calls (a ring of one byte per call) or the calls of the last `window_ms` (time buckets).
// Recording and reading the failure and slow counts are O(1); memory is fixed at construction.
#include <cstdint>
#include <vector>

#include "edgeguard/resilience/bucket_ring.hpp"
#include "edgeguard/resilience/status.hpp"

namespace edgeguard::resilience {

// seam: breaker
enum class WindowType : uint8_t { count = 0, time = 1 };

// The longest time window: a day, as one sliding step of a second at most 3600 buckets apart.
constexpr uint32_t kMaxWindowMs = 86400000;

struct WindowConfig {
  WindowType type = WindowType::count;
  uint32_t size = 100;        // count: calls kept
  uint32_t window_ms = 0;     // time: span of the window
  uint32_t buckets = 0;       // time: window_ms / buckets is the sliding step
};

Check validate(const WindowConfig& c) noexcept;

struct Totals {
  uint32_t calls = 0;
  uint32_t failures = 0;
  uint32_t slow = 0;
  uint32_t slow_failures = 0;

  Totals& operator+=(const Totals& o) {
    calls += o.calls;
    failures += o.failures;
    slow += o.slow;
    slow_failures += o.slow_failures;
    return *this;
  }
  Totals& operator-=(const Totals& o) {
    calls -= o.calls;
    failures -= o.failures;
    slow -= o.slow;
    slow_failures -= o.slow_failures;
    return *this;
  }
};

class Window {
 public:
  explicit Window(const WindowConfig& config);  // config must pass validate()

  void record(int64_t now_ms, bool failure, bool slow);
  const Totals& totals(int64_t now_ms);
  void clear();

  const WindowConfig& config() const { return config_; }

  // Count window contents, oldest first: bit 0 failure, bit 1 slow.
  std::vector<uint8_t> calls() const;
  void restore_calls(const std::vector<uint8_t>& calls);
  BucketRing<Totals>& ring() { return ring_; }
  const BucketRing<Totals>& ring() const { return ring_; }

 private:
  WindowConfig config_;
  std::vector<uint8_t> calls_;  // count window ring
  uint32_t next_ = 0;           // where the next call goes
  Totals count_totals_;         // of the calls in calls_; .calls is how many it holds
  BucketRing<Totals> ring_;     // time window
};

}  // namespace edgeguard::resilience
