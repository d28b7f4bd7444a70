#pragma once
// Outcome of checking a configuration or a snapshot. The numeric values cross the wasm boundary
// and are mapped to stable JS error codes, so they must never be renumbered.
#include <cstdint>

namespace edgeguard::resilience {

// seam: breaker
enum class Status : uint32_t {
  ok = 0,
  invalid_config = 1,     // CONFIG_INVALID
  invalid_snapshot = 2,   // BREAKER_INVALID_SNAPSHOT
  snapshot_mismatch = 3,  // BREAKER_SNAPSHOT_MISMATCH: taken from a differently shaped window
  out_of_memory = 4,      // OUT_OF_MEMORY
};

// A status and a static message naming the offending field.
struct Check {
  Status status = Status::ok;
  const char* message = "";
  explicit operator bool() const { return status != Status::ok; }
};

inline Check fail(Status status, const char* message) { return Check{status, message}; }

}  // namespace edgeguard::resilience
