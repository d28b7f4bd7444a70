#pragma once
// A CircuitBreaker's options, as js/breaker.js sends them (JSON text), read into a Config with
// the defaults that follow from other options; validate() owns the ranges.
#include <cstddef>

#include "edgeguard/resilience/circuit_breaker.hpp"
#include "edgeguard/resilience/options.hpp"

namespace edgeguard::resilience {

// {"window":{"type":"count"|"time","size","sizeMs","buckets"},"minimumCalls",
//  "failureRateThreshold","slowCallDurationMs","slowCallRateThreshold","consecutiveFailures",
//  "openMs","openBackoff":{"multiplier","maxMs"},"halfOpenCalls","halfOpenMaxMs"}, all optional.
// On success `out` passes validate().
OptionError read_breaker_options(const char* text, size_t len, Config& out) noexcept;

}  // namespace edgeguard::resilience
