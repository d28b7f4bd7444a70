#include "edgeguard/resilience/retry_budget.hpp"

#include <cmath>

namespace edgeguard::resilience {

Check validate(const BudgetConfig& c) noexcept {
  if (!std::isfinite(c.ratio) || c.ratio < 0 || c.ratio > 1000)
    return fail(Status::invalid_config, "budget.ratio must be a number from 0 to 1000");
  if (!std::isfinite(c.min_per_second) || c.min_per_second < 0 || c.min_per_second > 1e6)
    return fail(Status::invalid_config, "budget.minPerSecond must be a number from 0 to 1000000");
  if (c.window_ms < 1 || c.window_ms > 86400000) return fail(Status::invalid_config, "budget.windowMs must be an integer from 1 to 86400000");
  if (c.buckets < 1 || c.buckets > 3600) return fail(Status::invalid_config, "budget.buckets must be an integer from 1 to 3600");
  if (c.window_ms % c.buckets != 0)
    return fail(Status::invalid_config, "budget.windowMs must be a multiple of budget.buckets");
  return {};
}

double RetryBudget::balance(int64_t now_ms) {
  const BudgetCounts& t = ring_.total(now_ms);
  return t.calls * config_.ratio + config_.min_per_second * config_.window_ms / 1000.0 - t.retries;
}

bool RetryBudget::try_retry(int64_t now_ms) {
  if (balance(now_ms) < 1 - 1e-9) {  // tolerate 0.1 * 10 landing a hair under 1
    ++exhausted_;
    return false;
  }
  ring_.add(now_ms, BudgetCounts{0, 1});
  return true;
}

}  // namespace edgeguard::resilience
