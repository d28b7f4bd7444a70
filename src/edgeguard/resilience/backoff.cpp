#include "edgeguard/resilience/backoff.hpp"

#include <algorithm>

namespace edgeguard::resilience {

Check validate(const BackoffConfig& c) noexcept {
  if (c.base_ms < 1 || c.base_ms > 0x7fffffff) return fail(Status::invalid_config, "baseMs must be an integer from 1 to 2147483647");
  if (c.max_ms < c.base_ms || c.max_ms > 0x7fffffff)
    return fail(Status::invalid_config, "maxMs must be an integer from baseMs to 2147483647");
  if (c.jitter > Jitter::decorrelated)
    return fail(Status::invalid_config, "jitter must be one of 'none', 'full', 'equal', 'decorrelated'");
  return {};
}

uint32_t Backoff::exponential(uint32_t attempt) const {
  // base < 2^31, so base * 2^k for k < 32 fits 64 bits; beyond that it is past any cap.
  if (attempt >= 32) return config_.max_ms;
  return static_cast<uint32_t>(std::min<uint64_t>(config_.max_ms, uint64_t{config_.base_ms} << attempt));
}

uint32_t Backoff::delay(uint32_t attempt, uint32_t previous_ms) {
  switch (config_.jitter) {
    case Jitter::none:
      return exponential(attempt);
    case Jitter::full:
      return static_cast<uint32_t>(prng_.between(0, exponential(attempt)));
    case Jitter::equal: {
      const uint32_t e = exponential(attempt);
      return e - e / 2 + static_cast<uint32_t>(prng_.between(0, e / 2));
    }
    case Jitter::decorrelated: {
      const uint64_t previous = std::max(previous_ms, config_.base_ms);
      return static_cast<uint32_t>(std::min<uint64_t>(config_.max_ms, prng_.between(config_.base_ms, previous * 3)));
    }
  }
  return exponential(attempt);
}

}  // namespace edgeguard::resilience
