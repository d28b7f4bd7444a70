// The lease take's C ABI (js/shared/limit-scripts.js's `run`, for engines without Lua): one
// key's state travels in and out of linear memory, so the engine keeps it between takes.
#include <cmath>
#include <vector>

#include "bridge.hpp"
#include "edgeguard/limit/take.hpp"
#include "edgeguard/steady_time.hpp"

using namespace edgeguard;
using namespace edgeguard::limit;

namespace {

// Per policy, in a key's state as JS keeps it: room for the largest policy's words (a token
// bucket's two and a block's one). A NaN first word is a key never seen.
// seam: limit
constexpr uint32_t kSlot = 3;

// A TAKE's args per policy, as js/shared/limit-scripts.js writes them (for its Lua script too):
// q and p are the policy's limit and window in lowest terms, so limit q and window p derive the
// same policy.
// seam: limit
enum class TakeArg : uint32_t { algorithm, q, p, capacity, block_ms, count };
constexpr uint32_t kTakeArgs = uint32_t(TakeArg::count);

// take_out's head, a TAKE's reply (the Lua script's as well), then each policy's ms until full
// allowance (0: its state can be forgotten).
// seam: limit
enum class TakeSlot : uint32_t { granted, policy, remaining, reset_ms, retry_after_ms, wait_ms, count };
constexpr uint32_t kTakeHead = uint32_t(TakeSlot::count);
double take_out[kTakeHead + kMaxPolicies];

double& take_slot(TakeSlot s) { return take_out[uint32_t(s)]; }

bool whole(double v) { return std::isfinite(v) && v >= 0 && v <= 4294967295.0 && std::floor(v) == v; }

}  // namespace

EG_EXPORT const double* eg_limit_take_result() { return take_out; }

// `policies`: `count` groups of kTakeArgs doubles, TakeArg's. `state`: kSlot doubles per policy,
// updated in place. Returns 0, or the core's Status for a policy or time it refuses.
EG_EXPORT uint32_t eg_limit_take(const double* policies, uint32_t count, double* state, double now_ms,
                                 double give, double want, double min, uint32_t op) {
  if (count == 0 || count > kMaxPolicies) return uint32_t(Status::too_many_policies);
  if (!is_clock_time(now_ms) || !whole(give) || !whole(want) || !whole(min) || op > uint32_t(TakeOp::penalize)) {
    return uint32_t(Status::bad_cost);
  }
  std::vector<Policy> ps(count);
  uint32_t words = 0;
  for (uint32_t i = 0; i < count; ++i) {
    const double* a = policies + kTakeArgs * i;
    const auto arg = [a](TakeArg k) { return a[uint32_t(k)]; };
    PolicyConfig c;
    const double algorithm = arg(TakeArg::algorithm);
    c.algorithm = Algorithm(whole(algorithm) ? uint32_t(algorithm) : UINT32_MAX);
    c.limit = whole(arg(TakeArg::q)) ? uint32_t(arg(TakeArg::q)) : 0;
    c.window_ms = arg(TakeArg::p);
    c.burst = whole(arg(TakeArg::capacity)) ? uint32_t(arg(TakeArg::capacity)) : UINT32_MAX;
    c.block_ms = arg(TakeArg::block_ms);
    if (c.algorithm != Algorithm::gcra && c.algorithm != Algorithm::token_bucket) return uint32_t(Status::bad_algorithm);
    if (Check check = make_policy(c, ps[i])) return uint32_t(check.status);
    ps[i].offset = words;
    words += ps[i].words;
  }
  std::vector<double> key(words);
  init_take_state(ps, key.data());
  for (uint32_t i = 0; i < count; ++i) {
    const double* slot = state + kSlot * i;
    if (!std::isnan(slot[0])) std::copy(slot, slot + ps[i].words, key.data() + ps[i].offset);
  }
  const TakeResult t = take(ps, key.data(), now_ms, give, want, min, TakeOp(op));
  take_slot(TakeSlot::granted) = t.granted;
  take_slot(TakeSlot::policy) = t.answer.policy;
  take_slot(TakeSlot::remaining) = t.answer.remaining;
  take_slot(TakeSlot::reset_ms) = t.answer.reset_ms;
  take_slot(TakeSlot::retry_after_ms) = t.answer.retry_after_ms;
  take_slot(TakeSlot::wait_ms) = t.wait_ms;
  for (uint32_t i = 0; i < count; ++i) {
    const double* s = key.data() + ps[i].offset;
    std::copy(s, s + ps[i].words, state + kSlot * i);
    take_out[kTakeHead + i] = until_full_ms(ps[i], s, now_ms);
  }
  return 0;
}
