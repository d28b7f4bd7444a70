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

// Read by js/shared/limit-scripts.js: granted, policy, remaining, resetMs, retryAfterMs, waitMs,
// then each policy's ms until full allowance (0: its state can be forgotten).
// seam: limit
constexpr uint32_t kTakeHead = 6;
double take_out[kTakeHead + kMaxPolicies];

bool whole(double v) { return std::isfinite(v) && v >= 0 && v <= 4294967295.0 && std::floor(v) == v; }

}  // namespace

EG_EXPORT const double* eg_limit_take_result() { return take_out; }

// `policies`: `count` groups of five doubles: algorithm, q, p, capacity, blockMs (a TAKE's policy
// args: window / limit = p / q in lowest terms, so limit q and window p derive the same policy).
// `state`: kSlot doubles per policy, updated in place. Returns 0, or the core's Status for a
// policy or time it refuses.
EG_EXPORT uint32_t eg_limit_take(const double* policies, uint32_t count, double* state, double now_ms,
                                 double give, double want, double min, uint32_t op) {
  if (count == 0 || count > kMaxPolicies) return uint32_t(Status::too_many_policies);
  if (!is_clock_time(now_ms) || !whole(give) || !whole(want) || !whole(min) || op > uint32_t(TakeOp::penalize)) {
    return uint32_t(Status::bad_cost);
  }
  std::vector<Policy> ps(count);
  uint32_t words = 0;
  for (uint32_t i = 0; i < count; ++i) {
    const double* a = policies + 5 * i;
    PolicyConfig c;
    c.algorithm = Algorithm(whole(a[0]) ? uint32_t(a[0]) : UINT32_MAX);
    c.limit = whole(a[1]) ? uint32_t(a[1]) : 0;
    c.window_ms = a[2];
    c.burst = whole(a[3]) ? uint32_t(a[3]) : UINT32_MAX;
    c.block_ms = a[4];
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
  take_out[0] = t.granted;
  take_out[1] = t.answer.policy;
  take_out[2] = t.answer.remaining;
  take_out[3] = t.answer.reset_ms;
  take_out[4] = t.answer.retry_after_ms;
  take_out[5] = t.wait_ms;
  for (uint32_t i = 0; i < count; ++i) {
    const double* s = key.data() + ps[i].offset;
    std::copy(s, s + ps[i].words, state + kSlot * i);
    take_out[6 + i] = until_full_ms(ps[i], s, now_ms);
  }
  return 0;
}
