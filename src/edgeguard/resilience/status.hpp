#pragma once
// Outcome of checking a configuration or a snapshot. wasm/bridge_breaker.cpp maps each to the
// bridge's ErrorCode (wasm/bridge_error.hpp), which js/ reports as a stable error code.
#include <cstdint>

namespace edgeguard::resilience {

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
