#pragma once
// A Retry's options, as js/retry.js sends them (JSON text), read into a RetryConfig and a seed
// with the defaults that follow from other options; validate() owns the ranges.
#include <cstddef>
#include <cstdint>

#include "edgeguard/resilience/options.hpp"
#include "edgeguard/resilience/retry.hpp"

namespace edgeguard::resilience {

// {"maxAttempts","baseMs","maxMs","jitter":"none"|"full"|"equal"|"decorrelated",
//  "budget":false|{"ratio","minPerSecond","windowMs","buckets"},"maxRetryAfterMs","seed"}, all
// optional. On success `out` passes validate() and `seed` holds the seed given (0 when none: the
// caller seeds later, from entropy it has at call time).
OptionError read_retry_options(const char* text, size_t len, RetryConfig& out, uint64_t& seed) noexcept;

}  // namespace edgeguard::resilience
