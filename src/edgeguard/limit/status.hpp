#pragma once
// Outcome of checking a limiter configuration or a call. The numeric values cross the wasm
// boundary and are mapped to stable JS error codes in js/limit.js, so they must never be
// renumbered.
#include <cstdint>

namespace edgeguard::limit {

// seam: limit
enum class Status : uint32_t {
  ok = 0,
  // Configuration (ConfigError in JS).
  no_policies = 1,        // LIMIT_NO_POLICIES
  too_many_policies = 2,  // LIMIT_TOO_MANY_POLICIES
  bad_algorithm = 3,      // LIMIT_BAD_ALGORITHM
  bad_limit = 4,          // LIMIT_BAD_LIMIT
  bad_window = 5,         // LIMIT_BAD_WINDOW
  bad_burst = 6,          // LIMIT_BAD_BURST
  bad_block = 7,          // LIMIT_BAD_BLOCK
  bad_max_keys = 8,       // LIMIT_BAD_MAX_KEYS
  bad_max_key_bytes = 9,  // LIMIT_BAD_MAX_KEY_BYTES
  log_too_large = 10,     // LIMIT_LOG_TOO_LARGE: a sliding-log limit over kMaxLogLimit
  table_too_large = 11,   // LIMIT_TABLE_TOO_LARGE: maxKeys x state would exceed kMaxTableBytes
  // Per call (RateLimitError in JS).
  bad_cost = 12,            // LIMIT_BAD_COST
  cost_exceeds_limit = 13,  // LIMIT_COST_EXCEEDS_LIMIT: could never be allowed
  key_too_long = 14,        // LIMIT_KEY_TOO_LONG
  bad_time = 15,            // CLOCK_INVALID: now_ms is not a time from 0 to 2^53 ms
  out_of_memory = 16,       // LIMIT_OUT_OF_MEMORY
  // Configuration, read from options text (limit_options.hpp).
  bad_policy = 17,          // LIMIT_BAD_POLICY: a policy (or the options text) that is no JSON object
};

// A status, a static message, and the policy it concerns (npos when none).
struct Check {
  static constexpr uint32_t npos = UINT32_MAX;
  Status status = Status::ok;
  const char* message = "";
  uint32_t policy = npos;
  explicit operator bool() const { return status != Status::ok; }
};

inline Check fail(Status status, const char* message, uint32_t policy = Check::npos) {
  return Check{status, message, policy};
}

}  // namespace edgeguard::limit
