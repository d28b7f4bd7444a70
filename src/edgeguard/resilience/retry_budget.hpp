#pragma once
// A retry budget in the manner of Finagle's: over the last window_ms, retries may be at most
// `ratio` of the calls made plus a reserve of `min_per_second` per second of window. During an
// outage every first attempt fails, so retries stay a fixed fraction of traffic instead of
// multiplying it by max_attempts. Memory is a fixed ring of time buckets.
#include <cstdint>

#include "edgeguard/resilience/bucket_ring.hpp"
#include "edgeguard/resilience/status.hpp"

namespace edgeguard::resilience {

struct BudgetConfig {
  double ratio = 0.2;
  double min_per_second = 10;
  uint32_t window_ms = 10000;
  uint32_t buckets = 10;
};

Check validate(const BudgetConfig& c) noexcept;

struct BudgetCounts {
  uint32_t calls = 0;
  uint32_t retries = 0;
  BudgetCounts& operator+=(const BudgetCounts& o) {
    calls += o.calls;
    retries += o.retries;
    return *this;
  }
  BudgetCounts& operator-=(const BudgetCounts& o) {
    calls -= o.calls;
    retries -= o.retries;
    return *this;
  }
};

class RetryBudget {
 public:
  explicit RetryBudget(const BudgetConfig& config) : config_(config), ring_(config.window_ms, config.buckets) {}

  void on_call(int64_t now_ms) { ring_.add(now_ms, BudgetCounts{1, 0}); }
  // Spends one retry if the budget has one; a refused retry is counted in exhausted().
  bool try_retry(int64_t now_ms);
  // Retries still affordable now (may be fractional).
  double balance(int64_t now_ms);
  uint64_t exhausted() const { return exhausted_; }
  const BudgetCounts& counts(int64_t now_ms) { return ring_.total(now_ms); }

 private:
  BudgetConfig config_;
  BucketRing<BudgetCounts> ring_;
  uint64_t exhausted_ = 0;
};

}  // namespace edgeguard::resilience
