#pragma once
// A Bulkhead's options, as js/bulkhead.js sends them (JSON text): {"maxConcurrent","maxQueue"},
// both optional; validate() owns the ranges.
#include <cstddef>

#include "edgeguard/resilience/bulkhead.hpp"
#include "edgeguard/resilience/options.hpp"

namespace edgeguard::resilience {

// On success `out` passes validate().
OptionError read_bulkhead_options(const char* text, size_t len, BulkheadConfig& out) noexcept;

}  // namespace edgeguard::resilience
