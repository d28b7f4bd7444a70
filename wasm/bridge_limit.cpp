// The rate limiter's C ABI (js/limit.js). Key bytes arrive in js/core.js's scratch buffer; the
// outcome of a call is left in a static array of doubles that JS reads without allocating.
#include <cmath>
#include <memory>
#include <new>

#include "bridge.hpp"
#include "edgeguard/limit/limiter.hpp"

using namespace edgeguard::limit;

namespace {

// The outcome of a check or peek, read by js/limit.js by these slots.
// seam: limit
enum ResultSlot : uint32_t { kStatus, kAllowed, kPolicy, kLimit, kRemaining, kResetMs, kRetryAfterMs, kCount };
double result[kCount];
Check last_error;    // of the last eg_limit_new
// seam: limit
enum class CheckWord : uint32_t { status, message, policy, count };
static_assert(EG_SLOT(Check, status, uint32_t, CheckWord::status) &&
                  EG_SLOT(Check, message, uint32_t, CheckWord::message) &&
                  EG_SLOT(Check, policy, uint32_t, CheckWord::policy) && sizeof(Check) == 4 * size_t(CheckWord::count),
              "js/limit.js reads Check by CheckWord");

// eg_limit_stats's result: the limiter's counts, then each policy's.
// seam: limit
enum class StatsSlot : uint32_t { allowed, rejected, keys, max_keys, evictions, evictions_active, memory_bytes, count };
// seam: limit
enum class PolicyStatsSlot : uint32_t { allowed, rejected, blocks, count };
constexpr size_t kStatsHead = size_t(StatsSlot::count), kPolicyStats = size_t(PolicyStatsSlot::count);
double stats_out[kStatsHead + kPolicyStats * kMaxPolicies];

// Out-of-range or fractional numbers become UINT32_MAX, which every check rejects, instead of
// an undefined conversion.
uint32_t to_u32(double v) {
  return std::isfinite(v) && v >= 0 && v <= 4294967295.0 && std::floor(v) == v ? uint32_t(v) : UINT32_MAX;
}

// A null key is an error (bridge.hpp): the status an oversized key gets, never the empty key.
Result null_key() {
  Result r;
  r.status = Status::key_too_long;
  return r;
}

uint32_t publish(const Result& r) {
  result[kStatus] = double(r.status);
  result[kAllowed] = r.allowed ? 1 : 0;
  result[kPolicy] = r.policy;
  result[kLimit] = r.limit;
  result[kRemaining] = r.remaining;
  result[kResetMs] = r.reset_ms;
  result[kRetryAfterMs] = r.retry_after_ms;
  return uint32_t(r.status);
}

}  // namespace

EG_EXPORT const double* eg_limit_result() { return result; }
EG_EXPORT const Check* eg_limit_error() { return &last_error; }

// `policies` holds `count` groups of five doubles: algorithm, limit, windowMs, burst, blockMs.
EG_EXPORT Limiter* eg_limit_new(const double* policies, uint32_t count, double max_keys,
                                double max_key_bytes, double seed) {
  if (count > kMaxPolicies) {
    last_error = fail(Status::too_many_policies, "at most 16 policies");
    return nullptr;
  }
  LimiterConfig config;
  for (uint32_t i = 0; i < count; ++i) {
    const double* p = policies + 5 * i;
    PolicyConfig c;
    c.algorithm = Algorithm(to_u32(p[0]));
    c.limit = to_u32(p[1]);
    c.window_ms = p[2];
    c.burst = to_u32(p[3]);
    c.block_ms = p[4];
    config.policies.push_back(c);
  }
  config.max_keys = to_u32(max_keys);
  config.max_key_bytes = to_u32(max_key_bytes);
  config.seed = uint64_t(std::fabs(std::fmod(seed, 9007199254740992.0)));
  std::unique_ptr<Limiter> limiter;
  try {
    last_error = Limiter::create(config, limiter);
  } catch (const std::bad_alloc&) {
    last_error = fail(Status::out_of_memory, "out of memory");
  }
  return limiter.release();
}

EG_EXPORT void eg_limit_free(Limiter* limiter) { delete limiter; }

EG_EXPORT uint32_t eg_limit_check(Limiter* l, const uint8_t* key, uint32_t len, uint32_t cost, double now_ms) {
  return publish(key ? l->check(key, len, cost, now_ms) : null_key());
}

EG_EXPORT uint32_t eg_limit_peek(const Limiter* l, const uint8_t* key, uint32_t len, double now_ms) {
  return publish(key ? l->peek(key, len, now_ms) : null_key());
}

EG_EXPORT uint32_t eg_limit_reset(Limiter* l, const uint8_t* key, uint32_t len) {
  return key && l->reset(key, len) ? 1 : 0;
}

EG_EXPORT uint32_t eg_limit_penalize(Limiter* l, const uint8_t* key, uint32_t len, uint32_t cost, double now_ms) {
  return uint32_t(key ? l->penalize(key, len, cost, now_ms).status : Status::key_too_long);
}

EG_EXPORT uint32_t eg_limit_reward(Limiter* l, const uint8_t* key, uint32_t len, uint32_t cost, double now_ms) {
  return uint32_t(key ? l->reward(key, len, cost, now_ms).status : Status::key_too_long);
}

// StatsSlot, then PolicyStatsSlot for each policy.
EG_EXPORT const double* eg_limit_stats(const Limiter* l) {
  const LimiterStats s = l->stats();
  stats_out[size_t(StatsSlot::allowed)] = double(s.allowed);
  stats_out[size_t(StatsSlot::rejected)] = double(s.rejected);
  stats_out[size_t(StatsSlot::keys)] = double(s.keys);
  stats_out[size_t(StatsSlot::max_keys)] = double(s.max_keys);
  stats_out[size_t(StatsSlot::evictions)] = double(s.evictions);
  stats_out[size_t(StatsSlot::evictions_active)] = double(s.evictions_active);
  stats_out[size_t(StatsSlot::memory_bytes)] = double(s.memory_bytes);
  for (uint32_t i = 0; i < l->policies().size(); ++i) {
    const PolicyStats& p = l->policy_stats(i);
    double* at = stats_out + kStatsHead + kPolicyStats * i;
    at[size_t(PolicyStatsSlot::allowed)] = double(p.allowed);
    at[size_t(PolicyStatsSlot::rejected)] = double(p.rejected);
    at[size_t(PolicyStatsSlot::blocks)] = double(p.blocks);
  }
  return stats_out;
}
