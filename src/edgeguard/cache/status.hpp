#pragma once
// Outcomes of cache calls. The numeric values cross the wasm boundary and map to stable JS error
// codes in js/cache.js, so they must never be renumbered.
#include <cstdint>

namespace edgeguard::cache {

// seam: cache
enum class Status : uint32_t {
  ok = 0,
  invalid_config = 1,    // CACHE_INVALID_CONFIG: bounds missing or out of range, unknown policy
  too_large = 2,         // entry larger than maxBytes (or than 4 GiB): refused, not an error in JS
  invalid_argument = 3,  // CACHE_INVALID_ARGUMENT: negative or NaN time, bad slot, bad tag
  too_many_tags = 4,     // CACHE_TOO_MANY_TAGS
  out_of_memory = 5,     // CACHE_OUT_OF_MEMORY (reported by the wasm bridge)
};

// A status and, for a refused configuration, a static message naming the option first
// ("maxEntries must be ..."), as cache_options.hpp reports it.
struct Check {
  Status status = Status::ok;
  const char* message = "";
  explicit operator bool() const { return status != Status::ok; }
};

// Why an entry left the table; reported to JS with each removal.
// seam: cache
enum class Reason : uint32_t {
  capacity = 0,    // evicted by the policy to keep both bounds
  expired = 1,     // past ttl and every stale window
  deleted = 2,     // explicit delete
  invalidated = 3, // invalidate by key, tag or prefix
  cleared = 4,     // clear()
};

}  // namespace edgeguard::cache
