#include "edgeguard/limit/limiter.hpp"

#include <algorithm>
#include <cmath>

#include "edgeguard/limit/algorithm.hpp"

namespace edgeguard::limit {

namespace {
// What one tracked key costs besides its state words: a 32-byte record header and 5.3 bytes of
// index (key_table.hpp), rounded up for the allocator.
constexpr double kKeyOverheadBytes = 40;
}  // namespace

Check Limiter::create(const LimiterConfig& config, std::unique_ptr<Limiter>& out) {
  if (config.policies.empty()) return fail(Status::no_policies, "at least one policy is required");
  if (config.policies.size() > kMaxPolicies) {
    return fail(Status::too_many_policies, "at most 16 policies");
  }
  if (config.max_keys < 1 || config.max_keys > kMaxKeysLimit) {
    return fail(Status::bad_max_keys, "maxKeys must be an integer from 1 to 67108863");
  }
  if (config.max_key_bytes < 1 || config.max_key_bytes > kMaxKeyBytesLimit) {
    return fail(Status::bad_max_key_bytes, "maxKeyBytes must be an integer from 1 to 65535");
  }
  std::vector<Policy> policies(config.policies.size());
  uint32_t words = 0;
  for (uint32_t i = 0; i < policies.size(); ++i) {
    if (Check c = make_policy(config.policies[i], policies[i])) {
      c.policy = i;
      return c;
    }
    policies[i].offset = words;
    words += policies[i].words;
  }
  if (double(config.max_keys) * (kKeyOverheadBytes + 8.0 * words) > kMaxTableBytes) {
    return fail(Status::table_too_large, "maxKeys times the per-key state would exceed 512 MiB");
  }
  out.reset(new Limiter(std::move(policies), config, words));
  return {};
}

Limiter::Limiter(std::vector<Policy> policies, const LimiterConfig& config, uint32_t words)
    : policies_(std::move(policies)),
      policy_stats_(policies_.size()),
      max_key_bytes_(config.max_key_bytes),
      table_(config.max_keys, words, config.seed),
      fresh_(words) {
  for (uint32_t i = 0; i < policies_.size(); ++i) {
    const Policy& p = policies_[i];
    if (p.capacity < policies_[smallest_].capacity) smallest_ = i;
    init_state(p, &fresh_[p.offset]);
    if (p.has_block()) fresh_[p.offset + p.words - 1] = kNever;
  }
}

Check Limiter::check_call(uint32_t len, double now_ms) const {
  if (len > max_key_bytes_) return fail(Status::key_too_long, "key is longer than maxKeyBytes");
  // NaN compares as neither before nor after anything: it would read as "no time passed" or
  // "all of it", and answer for a clock that cannot be read.
  if (!is_clock_time(now_ms)) {
    return fail(Status::bad_time, "the clock returned a time outside 0 to 2^53 ms");
  }
  return {};
}

Result Limiter::check(const uint8_t* key, uint32_t len, uint32_t cost, double now_ms) {
  Result r;
  if (Check c = check_call(len, now_ms)) {
    r.status = c.status;
    return r;
  }
  if (cost == 0) {
    r.status = Status::bad_cost;
    return r;
  }
  now_ms = time_.advance(now_ms);
  if (cost > policies_[smallest_].capacity) {
    r.status = Status::cost_exceeds_limit;
    r.policy = smallest_;
    r.limit = policies_[smallest_].capacity;
    return r;
  }
  const uint32_t id = acquire(key, len, now_ms);
  if (id == KeyTable::npos) {
    r.status = Status::out_of_memory;
    return r;
  }
  double* state = table_.state(id);
  bool rejected[kMaxPolicies];
  r = evaluate(policies_, state, cost, now_ms, rejected);
  for (uint32_t i = 0; i < policies_.size(); ++i) {
    const Policy& p = policies_[i];
    double* s = state + p.offset;
    if (r.allowed) {
      consume(p, s, now_ms, cost);
      ++policy_stats_[i].allowed;
    } else if (rejected[i]) {
      ++policy_stats_[i].rejected;
      double& until = s[p.words - 1];
      if (p.has_block() && until <= now_ms) {
        until = now_ms + p.config.block_ms;
        ++policy_stats_[i].blocks;
      }
    }
  }
  ++(r.allowed ? allowed_ : rejected_);
  table_.touch(id);
  return r;
}

Result Limiter::peek(const uint8_t* key, uint32_t len, double now_ms) const {
  Result r;
  if (Check c = check_call(len, now_ms)) {
    r.status = c.status;
    return r;
  }
  now_ms = time_.peek(now_ms);
  const uint32_t id = table_.find(key, len, table_.hash(key, len));
  const double* state = id == KeyTable::npos ? fresh_.data() : table_.state(id);
  bool rejected[kMaxPolicies];
  r = evaluate(policies_, state, 1, now_ms, rejected);
  if (!r.allowed) return r;  // a rejected decision already reports the units left now
  return evaluate(policies_, state, 0, now_ms, rejected);
}

bool Limiter::reset(const uint8_t* key, uint32_t len) {
  if (len > max_key_bytes_) return false;
  const uint32_t id = table_.find(key, len, table_.hash(key, len));
  if (id == KeyTable::npos) return false;
  table_.erase(id);
  return true;
}

Check Limiter::penalize(const uint8_t* key, uint32_t len, uint32_t cost, double now_ms) {
  if (Check c = check_call(len, now_ms)) return c;
  if (cost == 0) return {};
  now_ms = time_.advance(now_ms);
  const uint32_t id = acquire(key, len, now_ms);
  if (id == KeyTable::npos) return fail(Status::out_of_memory, "out of memory");
  double* state = table_.state(id);
  for (const Policy& p : policies_) consume(p, state + p.offset, now_ms, cost);
  table_.touch(id);
  return {};
}

Check Limiter::reward(const uint8_t* key, uint32_t len, uint32_t cost, double now_ms) {
  if (Check c = check_call(len, now_ms)) return c;
  now_ms = time_.advance(now_ms);
  const uint32_t id = table_.find(key, len, table_.hash(key, len));
  if (id == KeyTable::npos || cost == 0) return {};  // an untracked key is at full allowance
  double* state = table_.state(id);
  for (const Policy& p : policies_) refund(p, state + p.offset, now_ms, cost);
  return {};
}

LimiterStats Limiter::stats() const {
  LimiterStats s;
  s.allowed = allowed_;
  s.rejected = rejected_;
  s.keys = table_.size();
  s.max_keys = table_.max_keys();
  s.evictions = evictions_;
  s.evictions_active = evictions_active_;
  s.memory_bytes = sizeof(*this) - sizeof(KeyTable) + table_.memory_bytes() +
                   fresh_.capacity() * sizeof(double) +
                   policies_.capacity() * (sizeof(Policy) + sizeof(PolicyStats));
  return s;
}

bool Limiter::at_full_allowance(const double* state, double now_ms) const {
  for (const Policy& p : policies_) {
    const double* s = state + p.offset;
    if (p.has_block() && s[p.words - 1] > now_ms) return false;
    if (!limit::at_full_allowance(p, s, now_ms)) return false;
  }
  return true;
}

uint32_t Limiter::acquire(const uint8_t* key, uint32_t len, double now_ms) {
  const uint32_t hash = table_.hash(key, len);
  if (const uint32_t id = table_.find(key, len, hash); id != KeyTable::npos) return id;
  if (table_.full()) {
    uint32_t victim = KeyTable::npos;
    uint32_t candidate = table_.oldest();
    for (uint32_t n = 0; n < kEvictionScan && candidate != KeyTable::npos; ++n) {
      if (at_full_allowance(table_.state(candidate), now_ms)) {
        victim = candidate;
        break;
      }
      candidate = table_.newer(candidate);
    }
    if (victim == KeyTable::npos) {
      victim = table_.oldest();
      ++evictions_active_;
    }
    table_.erase(victim);
    ++evictions_;
  }
  const uint32_t id = table_.insert(key, len, hash);
  if (id != KeyTable::npos) std::copy(fresh_.begin(), fresh_.end(), table_.state(id));
  return id;
}

Result evaluate(const std::vector<Policy>& policies, const double* state, double cost, double now_ms, bool* rejected) {
  Result r;
  r.allowed = true;
  for (uint32_t i = 0; i < policies.size(); ++i) {
    const Policy& p = policies[i];
    const double* s = state + p.offset;
    const double until = p.has_block() ? s[p.words - 1] : kNever;
    Decision d = decide(p, s, now_ms, cost);
    // A blocked key, or one that this call blocks, has nothing left until the block ends, and
    // the call is allowed once both the block and the algorithm allow it: when the block ends
    // first, a call at its end would go over again and block the key anew.
    if (until > now_ms || (!d.allowed && p.has_block())) {
      // The call consumes nothing: the algorithm's reset is the one for the state as it is.
      if (d.allowed) d.reset_ms = decide(p, s, now_ms, 0).reset_ms;
      d.allowed = false;
      d.remaining = 0;
      const double block_left = until > now_ms ? std::ceil(until - now_ms) : p.config.block_ms;
      d.retry_after_ms = std::max(d.retry_after_ms, block_left);
      d.reset_ms = std::max(d.reset_ms, d.retry_after_ms);
    }
    rejected[i] = !d.allowed;
    const bool better =
        i == 0 || (!d.allowed ? r.allowed || d.retry_after_ms > r.retry_after_ms
                              : r.allowed && (d.remaining < r.remaining ||
                                              (d.remaining == r.remaining && d.reset_ms > r.reset_ms)));
    if (better) {
      r.allowed = d.allowed;
      r.policy = i;
      r.limit = p.config.limit;
      r.remaining = d.remaining;
      r.reset_ms = d.reset_ms;
      r.retry_after_ms = d.retry_after_ms;
    }
  }
  return r;
}

}  // namespace edgeguard::limit
