#pragma once
// The retry decision after a failed attempt: whether to try again and after how long. What
// counts as retryable (status codes, methods, error kinds) is the caller's; this owns the
// limits: attempts, the server's Retry-After, the shared retry budget and the backoff.
#include <cstdint>
#include <memory>

#include "edgeguard/resilience/backoff.hpp"
#include "edgeguard/resilience/retry_budget.hpp"

namespace edgeguard::resilience {

struct RetryConfig {
  uint32_t max_attempts = 3;  // including the first
  BackoffConfig backoff;
  bool use_budget = true;
  BudgetConfig budget;
  uint32_t max_retry_after_ms = 10000;  // a longer Retry-After gives up instead of waiting
};

Check validate(const RetryConfig& c) noexcept;

// Negative results of Retry::next_delay: why there is no further attempt.
// seam: breaker
enum class Stop : int32_t { max_attempts = -1, budget_exhausted = -2, retry_after_too_long = -3 };

class Retry {
 public:
  Retry(const RetryConfig& config, uint64_t seed);  // config must pass validate()

  // A call starts: it feeds the budget whether or not it will be retried.
  void on_call(int64_t now_ms);
  // After attempt number `attempts` (1-based) failed in a retryable way. `previous_ms` is the
  // delay before that attempt (0 after the first); `retry_after_ms` the server's Retry-After,
  // or -1. Returns the delay in ms before the next attempt, or a negative Stop.
  int64_t next_delay(int64_t now_ms, uint32_t attempts, uint32_t previous_ms, int64_t retry_after_ms);

  // Callers without a seed of their own seed lazily, from request-time entropy.
  void reseed(uint64_t seed) { backoff_.reseed(seed); }
  RetryBudget* budget() { return budget_.get(); }
  const RetryConfig& config() const { return config_; }

 private:
  RetryConfig config_;
  Backoff backoff_;
  std::unique_ptr<RetryBudget> budget_;
};

}  // namespace edgeguard::resilience
