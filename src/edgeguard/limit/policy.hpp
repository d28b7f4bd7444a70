#pragma once
// One rate-limit policy ("10 calls per second, GCRA") as configured, and the constants the
// algorithms derive from it once instead of per call.
#include <cstdint>

#include "edgeguard/limit/status.hpp"

namespace edgeguard::limit {

// Numeric values cross the wasm boundary (js/limit.js maps names to them): never renumber.
// seam: limit
enum class Algorithm : uint32_t {
  gcra = 0,
  token_bucket = 1,
  sliding_window = 2,  // weighted two-window counter
  fixed_window = 3,
  sliding_log = 4,     // exact; one timestamp per allowed unit, so only for small limits
};

inline constexpr uint32_t kMaxLimit = 0x7fffffff;
inline constexpr uint32_t kMaxLogLimit = 1000;
// ~35 years: keeps every product of a window and a count exact in a double.
inline constexpr double kMaxWindowMs = double(uint64_t{1} << 40);
// The bucket algorithms keep times in units of 1/q ms, in doubles; up to this wall-clock time
// (2^42 ms: the year 2109) a policy whose times pass 2^53 units must still keep each call's p
// units to within 1/1024 of them, or calls would vanish in rounding (an allowance that never runs out).
inline constexpr double kPrecisionHorizonMs = double(uint64_t{1} << 42);

struct PolicyConfig {
  Algorithm algorithm = Algorithm::gcra;
  uint32_t limit = 0;     // calls (cost units) per window
  double window_ms = 0;   // an integer number of milliseconds
  uint32_t burst = 0;     // gcra / token-bucket capacity; 0 means `limit`
  double block_ms = 0;    // once a call goes over, reject the key for this long; 0: never
};

struct Policy {
  PolicyConfig config;
  uint32_t capacity = 0;  // the most units the key can hold: the largest allowed cost
  // Bucket algorithms count time in units of 1/q ms, chosen so that one emission interval
  // (window_ms / limit ms) is exactly p units: boundaries are then exact integer comparisons,
  // even for limits that do not divide the window (3 per second: q = 3, p = 1000).
  double q = 1;
  double p = 1;
  uint32_t words = 0;   // state words (doubles) per key, including the block word
  uint32_t offset = 0;  // where this policy's words start in a key's state
  bool has_block() const { return config.block_ms > 0; }
};

// Validates `config` and derives the rest of `out` (offset excepted).
Check make_policy(const PolicyConfig& config, Policy& out);

}  // namespace edgeguard::limit
