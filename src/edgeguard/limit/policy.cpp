#include "edgeguard/limit/policy.hpp"

#include <cmath>
#include <numeric>

#include "edgeguard/limit/algorithm.hpp"

namespace edgeguard::limit {

namespace {

bool whole_in(double v, double lo, double hi) {
  return std::isfinite(v) && v >= lo && v <= hi && std::floor(v) == v;
}

uint32_t algorithm_words(const PolicyConfig& c) {
  switch (c.algorithm) {
    case Algorithm::token_bucket: return TokenBucket::kWords;
    case Algorithm::sliding_window: return SlidingWindow::kWords;
    case Algorithm::fixed_window: return FixedWindow::kWords;
    case Algorithm::sliding_log: return SlidingLog::words(c.limit);
    case Algorithm::gcra: break;
  }
  return Gcra::kWords;
}

}  // namespace

Check make_policy(const PolicyConfig& c, Policy& out) {
  if (uint32_t(c.algorithm) > uint32_t(Algorithm::sliding_log)) {
    return fail(Status::bad_algorithm, "algorithm must be gcra, token-bucket, sliding-window, fixed-window or sliding-log");
  }
  if (c.limit < 1 || c.limit > kMaxLimit) {
    return fail(Status::bad_limit, "limit must be an integer from 1 to 2147483647");
  }
  if (!whole_in(c.window_ms, 1, kMaxWindowMs)) {
    return fail(Status::bad_window, "windowMs must be an integer from 1 to 2^40");
  }
  const bool bucket = c.algorithm == Algorithm::gcra || c.algorithm == Algorithm::token_bucket;
  if (c.burst != 0 && (!bucket || c.burst > kMaxLimit)) {
    return fail(Status::bad_burst, bucket ? "burst must be an integer from 1 to 2147483647"
                                          : "burst applies only to gcra and token-bucket");
  }
  if (!whole_in(c.block_ms, 0, kMaxWindowMs)) {
    return fail(Status::bad_block, "blockMs must be an integer from 0 to 2^40");
  }
  if (c.algorithm == Algorithm::sliding_log && c.limit > kMaxLogLimit) {
    return fail(Status::log_too_large, "sliding-log keeps one timestamp per unit: limit must be at most 1000 (use sliding-window)");
  }
  out = Policy{};
  out.config = c;
  out.capacity = bucket && c.burst ? c.burst : c.limit;
  // window_ms / limit = p / q in lowest terms.
  const uint64_t window = uint64_t(c.window_ms);
  const uint64_t g = std::gcd(window, uint64_t(c.limit));
  out.q = double(c.limit / g);
  out.p = double(window / g);
  out.words = algorithm_words(c) + (c.block_ms > 0 ? 1 : 0);
  const double horizon = kPrecisionHorizonMs * out.q;
  if (bucket && horizon >= 0x1p53 && std::ldexp(1.0, std::ilogb(horizon) - 52) > out.p / 1024) {
    return fail(Status::bad_limit,
                "limit per windowMs needs a time unit (windowMs / limit, in lowest terms) too fine to count exactly at "
                "wall-clock times: choose a limit that shares more factors with windowMs (a round number)");
  }
  return {};
}

}  // namespace edgeguard::limit
