#pragma once
// Retry delays with the AWS jitter formulas ("Exponential Backoff And Jitter", 2015):
//   none:         min(max, base * 2^attempt)
//   full:         random(0, min(max, base * 2^attempt))
//   equal:        e = min(max, base * 2^attempt); ceil(e / 2) + random(0, floor(e / 2))
//   decorrelated: min(max, random(base, previous * 3)), previous starting at base
// random(a, b) is uniform over the integers a..b from a caller-seeded PRNG.
#include <cstdint>

#include "edgeguard/resilience/prng.hpp"
#include "edgeguard/resilience/status.hpp"

namespace edgeguard::resilience {

// seam: breaker
enum class Jitter : uint8_t { none = 0, full = 1, equal = 2, decorrelated = 3 };

struct BackoffConfig {
  uint32_t base_ms = 100;
  uint32_t max_ms = 10000;
  Jitter jitter = Jitter::full;
};

Check validate(const BackoffConfig& c) noexcept;

class Backoff {
 public:
  Backoff(const BackoffConfig& config, uint64_t seed) : config_(config), prng_(seed) {}

  // Delay before retry number `attempt` (0 for the first retry); `previous_ms` is the delay
  // returned for the retry before it (0 for the first), used by decorrelated jitter.
  uint32_t delay(uint32_t attempt, uint32_t previous_ms);
  uint32_t exponential(uint32_t attempt) const;
  void reseed(uint64_t seed) { prng_.reseed(seed); }

  const BackoffConfig& config() const { return config_; }

 private:
  BackoffConfig config_;
  Prng prng_;
};

}  // namespace edgeguard::resilience
