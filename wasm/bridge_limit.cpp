// The rate limiter's C ABI (js/limit.js). Options arrive as JSON text read by the core
// (limit_options.hpp), refusals go through bridge_error.hpp's one channel; key bytes arrive in
// js/core.js's scratch buffer; the outcome of a call is left in a static array of doubles that JS
// reads without allocating.
#include <memory>

#include "bridge.hpp"
#include "bridge_error.hpp"
#include "edgeguard/limit/limit_options.hpp"

using namespace edgeguard::limit;

namespace {

// The outcome of a check or peek, read by js/limit.js by these slots.
// seam: limit
enum ResultSlot : uint32_t { kStatus, kAllowed, kPolicy, kLimit, kRemaining, kResetMs, kRetryAfterMs, kCount };
double result[kCount];
// eg_limit_stats's result: the limiter's counts, then each policy's; with what the limiter took
// from its options (the defaults are the core's), which js/limit.js reads once it is made.
// seam: limit
enum class StatsSlot : uint32_t {
  allowed, rejected, keys, max_keys, evictions, evictions_active, memory_bytes, max_key_bytes, count
};
// Each policy's counts, then its terms as make_policy derived them (the stores' scripts take
// these: js/shared/limit-scripts.js's policyArgs).
// seam: limit
enum class PolicyStatsSlot : uint32_t { allowed, rejected, blocks, algorithm, block_ms, q, p, capacity, count };
constexpr size_t kStatsHead = size_t(StatsSlot::count), kPolicyStats = size_t(PolicyStatsSlot::count);
double stats_out[kStatsHead + kPolicyStats * kMaxPolicies];

// A refusal's ErrorCode: limit::Status's configuration codes in order, then the others.
static_assert(uint32_t(Status::table_too_large) - uint32_t(Status::no_policies) ==
                  uint32_t(ErrorCode::limit_table_too_large) - uint32_t(ErrorCode::limit_no_policies),
              "ErrorCode holds limit::Status's configuration codes in its order");
ErrorCode code_of(uint32_t s) {
  if (s >= uint32_t(Status::no_policies) && s <= uint32_t(Status::table_too_large)) {
    return ErrorCode(uint32_t(ErrorCode::limit_no_policies) + s - uint32_t(Status::no_policies));
  }
  return s == uint32_t(Status::out_of_memory) ? ErrorCode::limit_out_of_memory : ErrorCode::limit_bad_policy;
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

// `options`: JSON text (limit_options.hpp); null when refused (eg_last_error() says why).
EG_COLD_EXPORT Limiter* eg_limit_new(const char* options, uint32_t len) {
  if (!options) {
    report_error(ErrorCode::config_invalid, "options", "options are missing");
    return nullptr;
  }
  std::unique_ptr<Limiter> limiter;
  const edgeguard::json::OptionError e = make_limiter(options, len, limiter);
  if (e) report_error(code_of(e.status), e.option(), e.message());
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
EG_COLD_EXPORT const double* eg_limit_stats(const Limiter* l) {
  const LimiterStats s = l->stats();
  stats_out[size_t(StatsSlot::allowed)] = double(s.allowed);
  stats_out[size_t(StatsSlot::rejected)] = double(s.rejected);
  stats_out[size_t(StatsSlot::keys)] = double(s.keys);
  stats_out[size_t(StatsSlot::max_keys)] = double(s.max_keys);
  stats_out[size_t(StatsSlot::evictions)] = double(s.evictions);
  stats_out[size_t(StatsSlot::evictions_active)] = double(s.evictions_active);
  stats_out[size_t(StatsSlot::memory_bytes)] = double(s.memory_bytes);
  stats_out[size_t(StatsSlot::max_key_bytes)] = double(l->max_key_bytes());
  for (uint32_t i = 0; i < l->policies().size(); ++i) {
    const PolicyStats& p = l->policy_stats(i);
    double* at = stats_out + kStatsHead + kPolicyStats * i;
    at[size_t(PolicyStatsSlot::allowed)] = double(p.allowed);
    at[size_t(PolicyStatsSlot::rejected)] = double(p.rejected);
    at[size_t(PolicyStatsSlot::blocks)] = double(p.blocks);
    const Policy& policy = l->policies()[i];
    at[size_t(PolicyStatsSlot::algorithm)] = double(policy.config.algorithm);
    at[size_t(PolicyStatsSlot::block_ms)] = policy.config.block_ms;
    at[size_t(PolicyStatsSlot::q)] = policy.q;
    at[size_t(PolicyStatsSlot::p)] = policy.p;
    at[size_t(PolicyStatsSlot::capacity)] = policy.capacity;
  }
  return stats_out;
}
