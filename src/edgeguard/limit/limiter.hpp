#pragma once
// Per-key rate limiting under several policies at once, in bounded memory. A call is allowed
// only if every policy allows it, and a rejected call consumes nothing. Time is always the
// caller's `now_ms`, from 0 to 2^53; a clock that does not advance (edge runtimes freeze
// Date.now() during a request) or steps back never grants extra allowance, and a step back
// locks no key out for its size (steady_time.hpp).
#include <cstdint>
#include <memory>
#include <vector>

#include "edgeguard/limit/decision.hpp"
#include "edgeguard/limit/key_table.hpp"
#include "edgeguard/limit/policy.hpp"
#include "edgeguard/limit/status.hpp"
#include "edgeguard/steady_time.hpp"

namespace edgeguard::limit {

inline constexpr uint32_t kMaxPolicies = 16;
inline constexpr uint32_t kDefaultMaxKeys = 100000;
inline constexpr uint32_t kMaxKeysLimit = KeyTable::kMaxKeys;
inline constexpr uint32_t kDefaultMaxKeyBytes = 1024;
inline constexpr uint32_t kMaxKeyBytesLimit = 65535;
inline constexpr double kMaxTableBytes = double(512u << 20);
// How far from the least recently seen end eviction looks for a key back at full allowance
// (which can be forgotten without changing any answer) before it evicts the oldest one anyway.
inline constexpr uint32_t kEvictionScan = 8;

struct LimiterConfig {
  std::vector<PolicyConfig> policies;
  uint32_t max_keys = kDefaultMaxKeys;
  uint32_t max_key_bytes = kDefaultMaxKeyBytes;
  uint64_t seed = 0;  // of the key hash; only the table layout depends on it, never an answer
};

// The answer for one call: the deciding policy's view (see Limiter::check). For
// cost_exceeds_limit, `policy` and `limit` name the policy whose capacity the cost exceeds.
struct Result {
  Status status = Status::ok;
  bool allowed = false;
  uint32_t policy = 0;
  double limit = 0;
  double remaining = 0;
  double reset_ms = 0;
  double retry_after_ms = 0;
};

struct PolicyStats {
  uint64_t allowed = 0;
  uint64_t rejected = 0;
  uint64_t blocks = 0;  // times a block (block_ms) started
};

struct LimiterStats {
  uint64_t allowed = 0;  // calls
  uint64_t rejected = 0;
  uint32_t keys = 0;
  uint32_t max_keys = 0;
  uint64_t evictions = 0;
  uint64_t evictions_active = 0;  // of keys not yet back at full allowance: their state was lost
  size_t memory_bytes = 0;
};

// The answer to a call of `cost` on one key's `state` (each policy's words at its offset),
// committing nothing; rejected[i] says whether policy i refuses it. The one judge of
// Limiter::check and peek and of a lease take (take.hpp).
Result evaluate(const std::vector<Policy>& policies, const double* state, double cost, double now_ms, bool* rejected);

class Limiter {
 public:
  // Validates the configuration; on success `out` holds the limiter.
  static Check create(const LimiterConfig& config, std::unique_ptr<Limiter>& out);

  // Consumes `cost` units from every policy if all allow it. When allowed, the deciding policy is
  // the one with the fewest units left; when rejected, the rejecting one with the longest wait.
  // A call that goes over a policy with block_ms blocks the key under it for that long; calls
  // refused during the block neither extend it nor count as going over. A wait is always until
  // the call would be allowed: the later of the block's end and the algorithm's own wait.
  Result check(const uint8_t* key, uint32_t len, uint32_t cost, double now_ms);
  // What a call of cost 1 would get now, consuming nothing and not marking the key as seen.
  Result peek(const uint8_t* key, uint32_t len, double now_ms) const;
  // Forgets the key: it is back at full allowance. False if it was not tracked.
  bool reset(const uint8_t* key, uint32_t len);
  // Consumes `cost` units from every policy whether or not they are left (never blocks).
  Check penalize(const uint8_t* key, uint32_t len, uint32_t cost, double now_ms);
  // Gives back up to `cost` units to every policy (never beyond full allowance).
  Check reward(const uint8_t* key, uint32_t len, uint32_t cost, double now_ms);

  const std::vector<Policy>& policies() const { return policies_; }
  uint32_t max_key_bytes() const { return max_key_bytes_; }
  const PolicyStats& policy_stats(uint32_t i) const { return policy_stats_[i]; }
  LimiterStats stats() const;
  const KeyTable& table() const { return table_; }

 private:
  Limiter(std::vector<Policy> policies, const LimiterConfig& config, uint32_t words);
  Check check_call(uint32_t len, double now_ms) const;
  bool at_full_allowance(const double* state, double now_ms) const;
  // The key's id, inserting it (and evicting if the table is full); npos when out of memory.
  uint32_t acquire(const uint8_t* key, uint32_t len, double now_ms);

  std::vector<Policy> policies_;
  std::vector<PolicyStats> policy_stats_;
  uint32_t max_key_bytes_;
  uint32_t smallest_ = 0;  // the first policy of least capacity: the largest cost any call may have
  KeyTable table_;
  std::vector<double> fresh_;  // the state of a key never seen
  uint64_t allowed_ = 0;
  uint64_t rejected_ = 0;
  uint64_t evictions_ = 0;
  uint64_t evictions_active_ = 0;
  SteadyTime<double> time_;
};

}  // namespace edgeguard::limit
