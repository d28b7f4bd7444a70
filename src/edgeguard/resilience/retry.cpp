#include "edgeguard/resilience/retry.hpp"

namespace edgeguard::resilience {

Check validate(const RetryConfig& c) noexcept {
  if (c.max_attempts < 1 || c.max_attempts > 100) return fail(Status::invalid_config, "maxAttempts must be an integer from 1 to 100");
  if (Check b = validate(c.backoff)) return b;
  if (c.use_budget) {
    if (Check b = validate(c.budget)) return b;
  }
  if (c.max_retry_after_ms > 0x7fffffff) return fail(Status::invalid_config, "maxRetryAfterMs must be an integer from 0 to 2147483647");
  return {};
}

Retry::Retry(const RetryConfig& config, uint64_t seed)
    : config_(config),
      backoff_(config.backoff, seed),
      budget_(config.use_budget ? std::make_unique<RetryBudget>(config.budget) : nullptr) {}

void Retry::on_call(int64_t now_ms) {
  if (budget_) budget_->on_call(now_ms);
}

int64_t Retry::next_delay(int64_t now_ms, uint32_t attempts, uint32_t previous_ms, int64_t retry_after_ms) {
  if (attempts >= config_.max_attempts) return static_cast<int64_t>(Stop::max_attempts);
  if (retry_after_ms > static_cast<int64_t>(config_.max_retry_after_ms))
    return static_cast<int64_t>(Stop::retry_after_too_long);
  if (budget_ && !budget_->try_retry(now_ms)) return static_cast<int64_t>(Stop::budget_exhausted);
  // The backoff is drawn even when Retry-After wins, so the PRNG sequence does not depend on
  // which responses carried the header.
  const uint32_t delay = backoff_.delay(attempts - 1, previous_ms);
  return retry_after_ms >= 0 ? retry_after_ms : delay;
}

}  // namespace edgeguard::resilience
