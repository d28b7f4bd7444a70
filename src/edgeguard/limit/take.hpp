#pragma once
// A lease take: the shared rate limiter's one atomic step on one key (js/shared/limit-scripts.js
// runs it as a Redis script; an engine without Lua, the Durable Object store, runs this). Gives
// back `give` units (never beyond full allowance), then grants as many units as every policy
// allows, up to `want` and at least `min`, or refuses and consumes nothing (starting the blocks
// of the policies that refuse, as Limiter::check does). The state is one key's words, as a
// Limiter keeps them (each policy's at its offset), held by the caller between takes.
#include <cstdint>
#include <vector>

#include "edgeguard/limit/limiter.hpp"

namespace edgeguard::limit {

// Numeric values cross the wasm boundary (js/shared/limit-scripts.js OP_*): never renumber.
// seam: limit
enum class TakeOp : uint32_t {
  take = 0,
  peek = 1,      // what a call of cost 1 would get; changes nothing
  penalize = 2,  // consumes `want` whether or not it fits
};

struct TakeResult {
  double granted = 0;         // 0 when refused
  Result answer;              // for the units granted, or for a call of cost `min` when refused
  double wait_ms = 0;         // until `want` units would fit, after this take
};

// Fresh state for a key never seen (every policy at full allowance).
void init_take_state(const std::vector<Policy>& policies, double* state);

TakeResult take(const std::vector<Policy>& policies, double* state, double now_ms, double give,
                double want, double min, TakeOp op);

// Until policy `p`'s state is back at full allowance and unblocked, in whole ms (0: it is).
double until_full_ms(const Policy& p, const double* s, double now_ms);

}  // namespace edgeguard::limit
